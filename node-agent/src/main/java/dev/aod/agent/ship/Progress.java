package dev.aod.agent.ship;

/** Told how far an upload has come; called from upload threads. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (bundle, sent, total) -> {};

    void sent(String bundle, long sentBytes, long totalBytes);
}
