package dev.aod.agent.detect;

import dev.aod.bpf.Event;
import dev.aod.protocol.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One detected anomaly, what was observed, and the probe events behind it.
 *
 * @param operation the operation most of the counted events were (the one to look at first)
 * @param threshold the latency threshold of that operation, or the hung limit; zero for other kinds
 * @param breakdown counted events in the window by operation (latency, hung), errno (error) or event (session)
 * @param events the most recent counted events, oldest first
 */
public record Anomaly(
        String name,
        String policy,
        Kind kind,
        Protocol protocol,
        MountKey mount,
        String operation,
        Trigger trigger,
        String summary,
        Duration threshold,
        int minCount,
        Duration window,
        int observedCount,
        Duration maxLatency,
        Map<String, Integer> breakdown,
        Instant firstSeen,
        Instant lastSeen,
        List<Event> events,
        List<String> actions) {

    public enum Kind { LATENCY, ERROR, HUNG, SESSION }

    public enum Trigger {
        /** minCount counted events within the window */
        COUNT_IN_WINDOW,
        /** a single request at or over the latency ceiling */
        CEILING,
        /** a request not completed after the hung limit */
        HUNG
    }

    public Anomaly {
        breakdown = Map.copyOf(breakdown);
        events = List.copyOf(events);
        actions = List.copyOf(actions);
    }

    /** What deduplication and cooldown are keyed by. */
    public Key key() {
        return new Key(name, kind, mount, operation);
    }

    public record Key(String anomaly, Kind kind, MountKey mount, String operation) {}
}
