package dev.aod.agent.detect;

import dev.aod.agent.source.Sources;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.config.LatencySpec;
import dev.aod.protocol.OperationTable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Requests at or over their operation's threshold: {@code minCount} within the window, or a single
 * one at the ceiling.
 */
public final class LatencyDetector extends Detector {
    private final LatencySpec spec;
    private final OperationTable operations;
    private final int source;
    private final long[] thresholdNs = new long[EventLayout.CMD_SLOTS];
    private final long ceilingNs;

    public LatencyDetector(LatencySpec spec, MountLookup mounts, MonotonicClock clock) {
        super(spec, Anomaly.Kind.LATENCY, EventLayout.KIND_SLOW, spec.minCount(), spec.window(), mounts, clock);
        this.spec = spec;
        this.operations = OperationTable.of(spec.protocol(), spec.layer());
        this.source = Sources.of(spec.protocol(), spec.layer());
        this.ceilingNs = spec.ceiling().toNanos();
        Arrays.fill(thresholdNs, Long.MAX_VALUE);
        spec.thresholds().forEach((op, threshold) -> operations.codes(op).orElseThrow()
                .forEach(code -> thresholdNs[code] = threshold.toNanos()));
    }

    @Override
    protected boolean readsSource(int eventSource) {
        return eventSource == source;
    }

    @Override
    protected boolean counts(EventBatch batch, int i) {
        int command = batch.command(i);
        return command < thresholdNs.length && batch.latencyNs(i) >= thresholdNs[command];
    }

    @Override
    protected Anomaly.Trigger immediateTrigger(EventBatch batch, int i) {
        return batch.latencyNs(i) >= ceilingNs ? Anomaly.Trigger.CEILING : null;
    }

    @Override
    protected String operationName(int code) {
        return operations.nameOf(code);
    }

    @Override
    protected Duration thresholdOf(String operation) {
        return spec.thresholds().getOrDefault(operation, Duration.ZERO);
    }

    @Override
    protected String summarize(Anomaly.Trigger trigger, int count, String operation, MountKey mount,
            Duration maxLatency, Map<String, Integer> breakdown) {
        if (trigger == Anomaly.Trigger.CEILING) {
            return String.format("a %s request on %s took %s (ceiling %s)", operation, mount.describe(),
                    ms(maxLatency), ms(spec.ceiling()));
        }
        return String.format("%d slow %s requests on %s within %s, mostly %s (threshold %s), worst %s", count,
                spec.protocol(), mount.describe(), ms(spec.window()), operation, ms(thresholdOf(operation)),
                ms(maxLatency));
    }
}
