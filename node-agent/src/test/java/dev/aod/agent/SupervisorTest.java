package dev.aod.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SupervisorTest {
    @Test
    void restartsAFailedStageWithBackOffAndCountsIt() throws Exception {
        List<String> restarted = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        List<Long> startedAt = new CopyOnWriteArrayList<>();
        try (Supervisor supervisor = new Supervisor(restarted::add)) {
            supervisor.run("flaky", () -> {
                startedAt.add(System.nanoTime());
                if (runs.incrementAndGet() < 3) {
                    throw new IllegalStateException("boom " + runs.get());
                }
                Thread.sleep(60_000);
            });

            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 3);
            assertThat(restarted).containsExactly("flaky", "flaky");
            assertThat(supervisor.restarts()).containsEntry("flaky", 2L);
            assertThat(startedAt.get(1) - startedAt.get(0)).as("first back-off 1 s").isGreaterThanOrEqualTo(900_000_000L);
            assertThat(startedAt.get(2) - startedAt.get(1)).as("then 2 s").isGreaterThanOrEqualTo(1_900_000_000L);
            assertThat(supervisor.healthy()).isTrue();
        }
    }

    @Test
    void aStageThatKeepsFailingMakesTheAgentUnhealthy() throws Exception {
        try (Supervisor supervisor = new Supervisor(name -> {})) {
            supervisor.run("broken", () -> {
                throw new IllegalStateException("always");
            });

            await().atMost(Duration.ofSeconds(15)).until(() -> !supervisor.healthy());
        }
    }
}
