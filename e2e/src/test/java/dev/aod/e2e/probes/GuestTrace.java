package dev.aod.e2e.probes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aod.e2e.guest.AgentJar;
import dev.aod.e2e.guest.E2ePaths;
import dev.aod.e2e.guest.GuestVm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code aod-agent trace --json} running in the guest for a whole test class: its stderr is the
 * capability report, its stdout one event per line. A case takes a {@link #mark()} before its
 * fault and reads the events after it.
 */
final class GuestTrace implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GuestVm guest;
    private final String name;
    private final Path dir;

    private GuestTrace(GuestVm guest, String name) {
        this.guest = guest;
        this.name = name;
        this.dir = guest.shareDir().resolve(name);
    }

    /** Starts the trace with {@code config} and waits until its probes are attached. */
    static GuestTrace start(GuestVm guest, String name, String config, Duration timeout)
            throws IOException, InterruptedException {
        AgentJar.install(guest);
        GuestTrace trace = new GuestTrace(guest, name);
        Files.createDirectories(trace.dir);
        Files.writeString(trace.dir.resolve("config.yaml"), config);
        Files.deleteIfExists(trace.dir.resolve("events.jsonl"));
        Files.deleteIfExists(trace.dir.resolve("trace.err"));
        guest.run("""
                cd /host/%1$s
                setsid %2$s trace \
                    --config /host/%1$s/config.yaml --json >/host/%1$s/events.jsonl 2>/host/%1$s/trace.err </dev/null &
                echo $! >/host/%1$s/trace.pid
                """.formatted(name, AgentJar.JAVA), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!trace.stderr().contains("tracing")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the trace did not attach within " + timeout + "\n"
                        + E2ePaths.tail(trace.dir.resolve("trace.err"), 60));
            }
            Thread.sleep(500);
        }
        return trace;
    }

    String stderr() throws IOException {
        Path err = dir.resolve("trace.err");
        return Files.exists(err) ? Files.readString(err) : "";
    }

    /** The probe lines the trace printed when it started, as {@code aod-agent probes} prints them. */
    List<String> capabilityReport() throws IOException {
        return stderr().lines().takeWhile(l -> !l.startsWith("tracing")).filter(l -> l.startsWith("probe "))
                .map(l -> l.substring("probe ".length())).toList();
    }

    /** Waits until the trace reports a probe's new state (after a module was loaded) starting with {@code prefix}. */
    String awaitProbe(String prefix, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var later = stderr().lines().dropWhile(l -> !l.startsWith("tracing"))
                    .filter(l -> l.startsWith("probe " + prefix)).findFirst();
            if (later.isPresent()) {
                return later.get().substring("probe ".length());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the trace did not report \"" + prefix + "\" within " + timeout + "\n" + stderr());
            }
            Thread.sleep(250);
        }
    }

    /** How many events have arrived so far. */
    int mark() {
        return lines().size();
    }

    /** The events after {@code mark}. */
    List<TraceEvent> since(int mark) {
        List<String> lines = lines();
        List<TraceEvent> events = new ArrayList<>();
        for (String line : lines.subList(Math.min(mark, lines.size()), lines.size())) {
            try {
                events.add(TraceEvent.of(JSON.readTree(line)));
            } catch (IOException e) {
                throw new UncheckedIOException("not an event: " + line, e);
            }
        }
        return events;
    }

    /** Waits until an event after {@code mark} matches, and returns it. */
    TraceEvent await(int mark, Predicate<TraceEvent> matching, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (TraceEvent e : since(mark)) {
                if (matching.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no event " + what + " within " + timeout + "; the events since the mark:\n"
                        + String.join("\n", since(mark).stream().map(TraceEvent::toString).toList()));
            }
            Thread.sleep(250);
        }
    }

    private List<String> lines() {
        Path events = dir.resolve("events.jsonl");
        try {
            if (!Files.exists(events)) {
                return List.of();
            }
            String text = Files.readString(events);
            // the last line may still be being written
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : text.substring(0, end).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the trace (SIGTERM) and waits for it to print its drop counters and exit. */
    @Override
    public void close() {
        guest.exec("""
                pid=$(cat /host/%s/trace.pid)
                kill -TERM "$pid" 2>/dev/null || exit 0
                for i in $(seq 1 1200); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
                kill -KILL "$pid"
                """.formatted(name), Duration.ofMinutes(3));
    }
}
