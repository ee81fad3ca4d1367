package dev.aod.agent.detect;

import dev.aod.agent.source.Sources;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.config.SessionSpec;
import dev.aod.protocol.Layer;
import dev.aod.protocol.SessionEvent;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Connection trouble (reconnects, credit stalls, retransmits, …): {@code minCount} events within the window. */
public final class SessionDetector extends Detector {
    private static final SessionEvent[] EVENTS = SessionEvent.values();

    private final SessionSpec spec;
    private final int source;
    private final boolean[] watched = new boolean[EVENTS.length];

    public SessionDetector(SessionSpec spec, MountLookup mounts, MonotonicClock clock) {
        super(spec, Anomaly.Kind.SESSION, EventLayout.KIND_SESSION, spec.minCount(), spec.window(), mounts, clock);
        this.spec = spec;
        this.source = Sources.of(spec.protocol(), Layer.WIRE);
        spec.events().forEach(e -> watched[e.ordinal()] = true);
    }

    @Override
    protected boolean readsSource(int eventSource) {
        return eventSource == source;
    }

    @Override
    protected boolean counts(EventBatch batch, int i) {
        int event = batch.command(i);
        return event < watched.length && watched[event];
    }

    @Override
    protected String operationName(int code) {
        return code < EVENTS.length ? EVENTS[code].key() : "event_" + code;
    }

    @Override
    protected Duration thresholdOf(String operation) {
        return Duration.ZERO;
    }

    @Override
    protected String summarize(Anomaly.Trigger trigger, int count, String operation, MountKey mount,
            Duration maxLatency, Map<String, Integer> breakdown) {
        return String.format("%d %s session events on %s within %s: %s", count,
                spec.protocol().name().toLowerCase(Locale.ROOT), mount.describe(), ms(spec.window()), breakdown);
    }
}
