package dev.aod.agent.ship;

import dev.aod.config.AgentConfig;
import dev.aod.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The outbox alone in its own JVM, as the agent runs it, for the kill drill:
 * {@code OutboxChild CONFIG [--submit BUNDLE] [--throttle-ms N]}. Prints PROGRESS lines while it
 * uploads and SHIPPED when nothing is pending any more. Without --submit it relies on the journal
 * alone (the bundle directory is not scanned).
 */
public final class OutboxChild {
    private OutboxChild() {}

    public static void main(String[] args) throws Exception {
        AgentConfig config = ConfigLoader.load(Path.of(args[0])).config();
        Path submit = null;
        long throttleMs = 0;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--submit" -> submit = Path.of(args[i + 1]);
                case "--throttle-ms" -> throttleMs = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        long throttle = throttleMs;
        Outbox.Builder builder = Outbox.builder(config)
                .retry(new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(2)))
                .progress((bundle, sent, total) -> {
                    System.out.println("PROGRESS " + sent + " " + total);
                    System.out.flush();
                    if (throttle > 0) {
                        try {
                            Thread.sleep(throttle);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        if (submit == null) {
            builder.bundleDir(null);
        }
        try (Outbox outbox = builder.start()) {
            if (submit != null) {
                outbox.submit(submit);
                System.out.println("SUBMITTED");
            } else {
                System.out.println("PENDING " + outbox.pendingCount());
            }
            System.out.flush();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (outbox.pendingCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            System.out.println(outbox.pendingCount() == 0 ? "SHIPPED " + outbox.shippedCount() + " "
                    + outbox.failedAttempts() : "TIMEOUT " + outbox.status());
            System.out.flush();
        }
    }
}
