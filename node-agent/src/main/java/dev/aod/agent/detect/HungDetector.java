package dev.aod.agent.detect;

import dev.aod.agent.source.Sources;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.config.HungSpec;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import java.time.Duration;
import java.util.Map;

/** A request on the wire not completed after the hung limit (the source reports each once). */
public final class HungDetector extends Detector {
    private final HungSpec spec;
    private final OperationTable operations;
    private final int source;
    private final long afterNs;
    private final boolean[] watched = new boolean[EventLayout.CMD_SLOTS];

    public HungDetector(HungSpec spec, MountLookup mounts, MonotonicClock clock) {
        super(spec, Anomaly.Kind.HUNG, EventLayout.KIND_HUNG, 1, Duration.ofNanos(1), mounts, clock);
        this.spec = spec;
        this.operations = OperationTable.of(spec.protocol(), Layer.WIRE);
        this.source = Sources.of(spec.protocol(), Layer.WIRE);
        this.afterNs = spec.after().toNanos();
        if (spec.operations().isEmpty()) {
            java.util.Arrays.fill(watched, true);
        } else {
            spec.operations().forEach(op -> operations.codes(op).orElseThrow().forEach(c -> watched[c] = true));
        }
    }

    @Override
    protected boolean readsSource(int eventSource) {
        return eventSource == source;
    }

    @Override
    protected boolean counts(EventBatch batch, int i) {
        int command = batch.command(i);
        return batch.latencyNs(i) >= afterNs && command < watched.length && watched[command];
    }

    @Override
    protected Anomaly.Trigger immediateTrigger(EventBatch batch, int i) {
        return Anomaly.Trigger.HUNG;
    }

    @Override
    protected String operationName(int code) {
        return operations.nameOf(code);
    }

    @Override
    protected Duration thresholdOf(String operation) {
        return spec.after();
    }

    @Override
    protected String summarize(Anomaly.Trigger trigger, int count, String operation, MountKey mount,
            Duration maxLatency, Map<String, Integer> breakdown) {
        return String.format("a %s request on %s has not completed after %s (limit %s)", operation,
                mount.describe(), ms(maxLatency), ms(spec.after()));
    }
}
