package dev.aod.agent.ship;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A bundle the store has confirmed.
 *
 * @param uri where engineers find it, e.g. {@code s3://bucket/aod/node-1/2026-01-01/x.tar.zst}
 */
public record Shipment(Path bundle, String uri, long bytes, String sha256, Instant shippedAt) {}
