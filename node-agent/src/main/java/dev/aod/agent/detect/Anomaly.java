package dev.aod.agent.detect;

import dev.aod.bpf.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One detected anomaly with what was observed and the probe events behind it.
 *
 * @param command the command most of the slow requests were (the one a support engineer looks at first)
 * @param threshold that command's threshold
 * @param observedCount slow requests within the window when it fired
 * @param commandCounts slow requests in the window per command
 * @param events the most recent slow requests, oldest first
 */
public record Anomaly(
        String name,
        Kind kind,
        String protocol,
        String command,
        Trigger trigger,
        Duration threshold,
        int minCount,
        Duration window,
        Duration ceiling,
        int observedCount,
        Duration maxLatency,
        Map<String, Integer> commandCounts,
        Instant firstSeen,
        Instant lastSeen,
        List<Event> events,
        List<String> actions) {

    public enum Kind { LATENCY }

    public enum Trigger {
        /** minCount slow requests within the window */
        COUNT_IN_WINDOW,
        /** a single request at or over the ceiling */
        CEILING
    }

    public Anomaly {
        commandCounts = Map.copyOf(commandCounts);
        events = List.copyOf(events);
        actions = List.copyOf(actions);
    }
}
