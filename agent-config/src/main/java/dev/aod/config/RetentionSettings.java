package dev.aod.config;

import java.time.Duration;

/**
 * Bundle retention: every {@code interval}, bundles older than {@code maxAge} go, then the oldest
 * until the rest fit in {@code maxTotalBytes}. A bundle not yet shipped is never removed silently.
 */
public record RetentionSettings(Duration interval, Duration maxAge, long maxTotalBytes) {
    public static final RetentionSettings DEFAULTS =
            new RetentionSettings(Duration.ofSeconds(60), Duration.ofDays(2), 200L << 20);
}
