package dev.aod.agent.ship;

/**
 * What a store reports holding after an upload, read back from the store (not from the request).
 *
 * @param uri where engineers find the bundle, without credentials
 * @param sha256 hex digest the store holds for the bundle object
 */
public record StoredBundle(String uri, long bytes, String sha256) {}
