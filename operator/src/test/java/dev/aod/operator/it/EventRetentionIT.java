package dev.aod.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** AnomalyEvent retention by age and count (mock API server by default, see TestApi). */
class EventRetentionIT extends OperatorITSupport {

    @Test
    void eventsPastTheirAgeAreDeleted() {
        Instant now = Instant.now();
        event("old", now.minus(Duration.ofHours(3)));
        event("recent", now.minus(Duration.ofMinutes(5)));

        startOperator(config("", "events: {maxAge: 1h, maxCount: 100}\n"), Clock.systemUTC());

        eventually(() -> assertThat(events()).containsExactly("recent"));
    }

    @Test
    void anEventExpiresWhileTheOperatorRuns() {
        startOperator(config("", "events: {maxAge: 1m, maxCount: 100}\n"), Clock.systemUTC());

        event("expiring", Instant.now().minus(Duration.ofSeconds(58)));
        event("fresh", Instant.now());

        eventually(() -> assertThat(events()).containsExactly("fresh"));
    }

    @Test
    void beyondTheCountTheLeastRecentlySeenGo() {
        Instant now = Instant.now();
        startOperator(config("", "events: {maxAge: 1d, maxCount: 3}\n"), Clock.systemUTC());

        event("e1", now.minusSeconds(50));
        event("e2", now.minusSeconds(40));
        event("e3", now.minusSeconds(30));
        eventually(() -> assertThat(events()).containsExactly("e1", "e2", "e3"));
        event("e4", now.minusSeconds(20));
        event("e5", now.minusSeconds(10));

        eventually(() -> assertThat(events()).containsExactly("e3", "e4", "e5"));
    }
}
