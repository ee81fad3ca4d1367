package dev.aod.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5));

    @Test
    void delaysDoubleWithJitterWithinHalfToFullOfTheStep() {
        SplittableRandom random = new SplittableRandom(7);
        long[] expectedCeilings = {2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000};
        for (int failures = 1; failures <= expectedCeilings.length; failures++) {
            for (int i = 0; i < 200; i++) {
                long ms = policy.delayAfter(failures, random).toMillis();
                long ceiling = expectedCeilings[failures - 1];
                assertThat(ms).as("after %d failures", failures).isBetween(ceiling - ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void theDelayIsBoundedEvenAfterVeryManyFailures() {
        assertThat(policy.delayAfter(Integer.MAX_VALUE, new SplittableRandom(1))).isLessThanOrEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterSpreadsAgentsApart() {
        SplittableRandom random = new SplittableRandom(3);
        long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> policy.delayAfter(6, random).toMillis())
                .distinct().count();
        assertThat(distinct).isGreaterThan(40);
    }

    @Test
    void nonsenseBoundsAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
