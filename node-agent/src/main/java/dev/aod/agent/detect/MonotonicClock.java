package dev.aod.agent.detect;

import java.time.Instant;

/**
 * Converts probe timestamps (CLOCK_MONOTONIC, as bpf_ktime_get_ns and System.nanoTime on Linux) to
 * wall-clock time.
 */
public interface MonotonicClock {

    Instant toInstant(long monotonicNs);

    MonotonicClock SYSTEM = monotonicNs -> {
        Instant now = Instant.now();
        return now.minusNanos(System.nanoTime() - monotonicNs);
    };
}
