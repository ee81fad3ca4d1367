package dev.aod.agent.ship;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long the outbox waits after consecutive failed attempts: exponential from {@code initialDelay},
 * capped at {@code maxDelay}, with "equal jitter" (half fixed, half random) so agents that lost the
 * same store do not come back in step.
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5));

    public RetryPolicy {
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay, got " + initialDelay + " and " + maxDelay);
        }
    }

    /** The delay after {@code failures} consecutive failures (1 or more). */
    public Duration delayAfter(int failures, RandomGenerator random) {
        long cap = maxDelay.toMillis();
        long base = initialDelay.toMillis();
        for (int i = 1; i < failures && base < cap; i++) {
            base *= 2;
        }
        base = Math.min(base, cap);
        long half = base / 2;
        return Duration.ofMillis(base - half + random.nextLong(half + 1));
    }
}
