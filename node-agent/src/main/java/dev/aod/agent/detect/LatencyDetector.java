package dev.aod.agent.detect;

import dev.aod.agent.source.Sources;
import dev.aod.config.LatencySpec;
import dev.aod.protocol.OperationTable;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Latency detection for one configured anomaly over the completions of its probe. Counts slow requests in a
 * true sliding window (the last {@code minCount} slow completions lie within {@code window}), and fires
 * at once on a single request at or over the ceiling. Quiet for {@code cooldown} after firing.
 * Events that are not slow cost a few comparisons and no allocation.
 */
public final class LatencyDetector {
    private static final int SAMPLE_SIZE = 64;

    private final LatencySpec config;
    private final OperationTable operations;
    private final int source;
    private final MonotonicClock clock;
    private final long[] thresholdNs = new long[EventLayout.CMD_SLOTS];
    private final long windowNs;
    private final long ceilingNs;
    private final long cooldownNs;
    private final long[] slowTimes;
    private final ArrayDeque<Event> recent = new ArrayDeque<>(SAMPLE_SIZE);
    private int next;
    private long slowCount;
    private long quietUntilNs = Long.MIN_VALUE;

    public LatencyDetector(LatencySpec config, MonotonicClock clock) {
        this.config = config;
        this.clock = clock;
        this.operations = OperationTable.of(config.protocol(), config.layer());
        this.source = Sources.of(config.protocol(), config.layer());
        Arrays.fill(thresholdNs, Long.MAX_VALUE);
        config.thresholds().forEach((op, threshold) -> operations.codes(op).orElseThrow()
                .forEach(code -> thresholdNs[code] = threshold.toNanos()));
        this.windowNs = config.window().toNanos();
        this.ceilingNs = config.ceiling().toNanos();
        this.cooldownNs = config.cooldown().toNanos();
        this.slowTimes = new long[config.minCount()];
    }

    public LatencySpec config() {
        return config;
    }

    /** Feeds every event of the batch; {@code fired} receives each anomaly as it fires. */
    public void process(EventBatch batch, Consumer<Anomaly> fired) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            if (batch.source(i) != source || batch.kind(i) != EventLayout.KIND_SLOW) {
                continue;
            }
            int command = batch.command(i);
            long latency = batch.latencyNs(i);
            if (command >= thresholdNs.length || latency < thresholdNs[command]) {
                continue;
            }
            onSlow(batch, i, latency, fired);
        }
    }

    private void onSlow(EventBatch batch, int i, long latency, Consumer<Anomaly> fired) {
        long ts = batch.tsNs(i);
        if (recent.size() == SAMPLE_SIZE) {
            recent.removeFirst();
        }
        recent.addLast(batch.get(i));
        slowTimes[next] = ts;
        next = (next + 1) % slowTimes.length;
        slowCount++;
        if (ts < quietUntilNs) {
            return;
        }
        if (latency >= ceilingNs) {
            fire(Anomaly.Trigger.CEILING, ts, fired);
        } else if (slowCount >= slowTimes.length && ts - slowTimes[next] <= windowNs) {
            fire(Anomaly.Trigger.COUNT_IN_WINDOW, ts, fired);
        }
    }

    private void fire(Anomaly.Trigger trigger, long ts, Consumer<Anomaly> fired) {
        long from = trigger == Anomaly.Trigger.CEILING ? ts : ts - windowNs;
        List<Event> inWindow = recent.stream().filter(e -> e.tsNs() >= from).toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        long max = 0;
        for (Event e : inWindow) {
            counts.merge(operations.nameOf(e.command()), 1, Integer::sum);
            max = Math.max(max, e.latencyNs());
        }
        String command = counts.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue())
                .map(Map.Entry::getKey).orElseThrow();
        Duration threshold = config.thresholds().getOrDefault(command, Duration.ZERO);
        List<Event> sample = recent.stream().sorted(Comparator.comparingLong(Event::tsNs)).toList();
        fired.accept(new Anomaly(config.name(), Anomaly.Kind.LATENCY, config.protocol().name(), command, trigger, threshold,
                config.minCount(), config.window(), config.ceiling(), inWindow.size(), Duration.ofNanos(max), counts,
                clock.toInstant(inWindow.get(0).tsNs()), clock.toInstant(ts), sample, config.actions()));
        quietUntilNs = ts + cooldownNs;
        slowCount = 0;
        recent.clear();
    }
}
