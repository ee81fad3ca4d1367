package dev.aod.agent.detect;

import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.config.AnomalySpec;
import dev.aod.config.MountFilter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every detector shares: picking its events out of a batch, telling their mount, counting them
 * per mount in a sliding window, and deduplicating what fires by (anomaly, kind, mount, operation)
 * with a cooldown, so a sustained problem gives one anomaly and a rising count. Events that do not
 * count cost a few comparisons and no allocation.
 */
public abstract class Detector {
    private static final int SAMPLE_SIZE = 64;

    private final AnomalySpec spec;
    private final Anomaly.Kind kind;
    private final int eventKind;
    private final MountLookup mounts;
    private final MonotonicClock clock;
    private final int minCount;
    private final long windowNs;
    private final long cooldownNs;
    private final Map<MountKey, MountState> states = new HashMap<>();
    private final Map<Anomaly.Key, Occurrences> occurrences = new HashMap<>();
    private final Map<MountKey, Anomaly.Key[]> keys = new HashMap<>();
    private final int[] scratch = new int[EventLayout.CMD_SLOTS];

    private static final class MountState {
        final SlidingWindow window;
        final RecentEvents recent = new RecentEvents(SAMPLE_SIZE);

        MountState(int minCount, long windowNs) {
            window = new SlidingWindow(minCount, windowNs);
        }
    }

    private static final class Occurrences {
        long count;
        long quietUntilNs;
    }

    protected Detector(AnomalySpec spec, Anomaly.Kind kind, int eventKind, int minCount, Duration window,
            MountLookup mounts, MonotonicClock clock) {
        this.spec = spec;
        this.kind = kind;
        this.eventKind = eventKind;
        this.mounts = mounts;
        this.clock = clock;
        this.minCount = minCount;
        this.windowNs = window.toNanos();
        this.cooldownNs = spec.cooldown().toNanos();
    }

    public AnomalySpec spec() {
        return spec;
    }

    /** Whether this detector reads events of this probe source. */
    protected abstract boolean readsSource(int source);

    /** Whether event {@code i} counts toward the anomaly (thresholds, codes, operations). */
    protected abstract boolean counts(EventBatch batch, int i);

    /** The name of an operation code, from the protocol's operation table. */
    protected abstract String operationName(int code);

    /** How the event is broken down in the anomaly: by operation unless a detector says otherwise. */
    protected String breakdownOf(Event e) {
        return operationName(e.command());
    }

    /** A trigger that fires on this event alone (a ceiling, a hung request), or null. */
    protected Anomaly.Trigger immediateTrigger(EventBatch batch, int i) {
        return null;
    }

    /** The threshold that applied to the dominant operation, for the report. */
    protected abstract Duration thresholdOf(String operation);

    protected abstract String summarize(Anomaly.Trigger trigger, int count, String operation, MountKey mount,
            Duration maxLatency, Map<String, Integer> breakdown);

    public final void process(EventBatch batch, AnomalySink sink) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            if (batch.kind(i) != eventKind || !readsSource(batch.source(i)) || !counts(batch, i)) {
                continue;
            }
            MountKey mount = mounts.of(batch, i);
            if (!mountSelected(mount)) {
                continue;
            }
            onCounted(batch, i, mount, sink);
        }
    }

    private boolean mountSelected(MountKey mount) {
        List<MountFilter> filters = spec.mounts();
        if (filters.isEmpty()) {
            return true;
        }
        for (MountFilter f : filters) {
            if (f.matches(mount.server(), mount.share())) {
                return true;
            }
        }
        return false;
    }

    private void onCounted(EventBatch batch, int i, MountKey mount, AnomalySink sink) {
        MountState state = states.get(mount);
        if (state == null) {
            state = new MountState(minCount, windowNs);
            states.put(mount, state);
        }
        long ts = batch.tsNs(i);
        int operation = batch.command(i);
        state.recent.add(batch, i);
        Anomaly.Trigger trigger = immediateTrigger(batch, i);
        if (trigger == null && state.window.add(ts, operation)) {
            trigger = Anomaly.Trigger.COUNT_IN_WINDOW;
        }
        if (trigger == null) {
            return;
        }
        int dominant = trigger == Anomaly.Trigger.COUNT_IN_WINDOW ? state.window.dominantOperation(scratch) : operation;
        state.window.clear();
        Anomaly.Key key = key(mount, dominant);
        Occurrences seen = occurrences.get(key);
        if (seen == null) {
            seen = new Occurrences();
            occurrences.put(key, seen);
        }
        seen.count++;
        if (seen.count > 1 && ts < seen.quietUntilNs) {
            sink.repeated(key, seen.count, ts);
            return;
        }
        seen.count = 1;
        seen.quietUntilNs = ts + cooldownNs;
        List<Event> recent = state.recent.toList();
        state.recent.clear();
        long from = ts - windowNs;
        List<Event> counted = trigger == Anomaly.Trigger.COUNT_IN_WINDOW
                ? recent.stream().filter(e -> e.tsNs() >= from).toList()
                : List.of(recent.get(recent.size() - 1));
        Map<String, Integer> breakdown = new LinkedHashMap<>();
        long maxLatency = 0;
        for (Event e : counted) {
            breakdown.merge(breakdownOf(e), 1, Integer::sum);
            maxLatency = Math.max(maxLatency, e.latencyNs());
        }
        Duration max = Duration.ofNanos(maxLatency);
        sink.fired(new Anomaly(spec.name(), spec.policy(), kind, spec.protocol(), mount, key.operation(), trigger,
                summarize(trigger, counted.size(), key.operation(), mount, max, breakdown), thresholdOf(key.operation()),
                minCount, Duration.ofNanos(windowNs), counted.size(), max, breakdown,
                clock.toInstant(counted.get(0).tsNs()), clock.toInstant(ts), recent, spec.actions()));
    }

    /** One key object per (mount, operation), so repeats allocate nothing. */
    private Anomaly.Key key(MountKey mount, int operation) {
        Anomaly.Key[] byOperation = keys.get(mount);
        if (byOperation == null) {
            byOperation = new Anomaly.Key[EventLayout.CMD_SLOTS];
            keys.put(mount, byOperation);
        }
        int slot = Math.min(Math.max(operation, 0), EventLayout.CMD_SLOTS - 1);
        if (byOperation[slot] == null) {
            byOperation[slot] = new Anomaly.Key(spec.name(), kind, mount, operationName(slot));
        }
        return byOperation[slot];
    }

    static String ms(Duration d) {
        double ms = d.toNanos() / 1e6;
        return ms == Math.rint(ms) ? (long) ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f ms", ms);
    }
}
