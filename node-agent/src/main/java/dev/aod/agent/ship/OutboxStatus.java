package dev.aod.agent.ship;

import java.time.Instant;

/**
 * The outbox for node status and /status.
 *
 * @param target the store, e.g. "s3 bucket diag at http://…"
 * @param healthy false while the last attempt or check failed
 * @param lastError e.g. "s3 bucket diag: store unreachable: Connection refused"; empty when healthy
 * @param oldestPendingSince when the longest-waiting bundle was handed over; null when none waits
 * @param nextAttemptAt when the outbox tries (or tried) again after the last failure; null when healthy
 * @param lost bundles deleted locally before they could be shipped
 */
public record OutboxStatus(
        String target,
        boolean healthy,
        String lastError,
        Instant lastErrorAt,
        int pending,
        Instant oldestPendingSince,
        Instant nextAttemptAt,
        long shipped,
        long bytesShipped,
        long failedAttempts,
        long lost,
        Instant lastShippedAt) {}
