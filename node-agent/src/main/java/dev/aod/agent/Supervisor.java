package dev.aod.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent's stages on threads of their own and restarts one that fails, with exponential
 * back-off (1 s doubling to 1 min, reset after it ran well for 5 min), counting every restart.
 */
final class Supervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration HEALTHY_RUN = Duration.ofMinutes(5);
    /** A stage that failed this often within the last minute makes the agent unhealthy. */
    private static final int UNHEALTHY_FAILURES = 3;

    interface Stage {
        void run() throws Exception;
    }

    private final Map<String, Long> restarts = new ConcurrentHashMap<>();
    private final Map<String, Long> lastFailure = new ConcurrentHashMap<>();
    private final Map<String, Integer> recentFailures = new ConcurrentHashMap<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Consumer<String> onRestart;
    private volatile boolean stopping;

    Supervisor(Consumer<String> onRestart) {
        this.onRestart = onRestart;
    }

    /** Runs {@code stage} until it returns or the supervisor closes; a throw restarts it after a back-off. */
    void run(String name, Stage stage) {
        Thread t = new Thread(() -> supervise(name, stage), "aod-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Runs {@code task} every {@code period}; a failing run is logged, counted and retried at the next period. */
    void every(String name, Duration period, Stage task) {
        run(name, () -> {
            while (!stopping) {
                long started = System.nanoTime();
                task.run();
                long sleep = period.toNanos() - (System.nanoTime() - started);
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
        });
    }

    private void supervise(String name, Stage stage) {
        Duration backoff = FIRST_BACKOFF;
        while (!stopping) {
            long started = System.nanoTime();
            try {
                stage.run();
                return;
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                if (stopping) {
                    return;
                }
                if (System.nanoTime() - started > HEALTHY_RUN.toNanos()) {
                    backoff = FIRST_BACKOFF;
                }
                restarts.merge(name, 1L, Long::sum);
                long now = System.nanoTime();
                Long previous = lastFailure.put(name, now);
                int recent = previous != null && now - previous < TimeUnit.MINUTES.toNanos(1)
                        ? recentFailures.merge(name, 1, Integer::sum) : recentFailures.compute(name, (k, v) -> 1);
                log.error("stage {} failed ({} recent failure(s)); restarting in {} s", name, recent,
                        backoff.toSeconds(), e);
                onRestart.accept(name);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    Map<String, Long> restarts() {
        return Map.copyOf(restarts);
    }

    boolean healthy() {
        long now = System.nanoTime();
        for (Map.Entry<String, Long> e : lastFailure.entrySet()) {
            if (now - e.getValue() < TimeUnit.MINUTES.toNanos(1)
                    && recentFailures.getOrDefault(e.getKey(), 0) >= UNHEALTHY_FAILURES) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        stopping = true;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
