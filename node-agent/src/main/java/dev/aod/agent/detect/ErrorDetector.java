package dev.aod.agent.detect;

import dev.aod.agent.source.Sources;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.config.ErrorSpec;
import dev.aod.protocol.Errno;
import dev.aod.protocol.OperationTable;
import java.time.Duration;
import java.util.Map;

/** Failed requests whose errno counts (tracked, or not excluded): {@code minCount} within the window. */
public final class ErrorDetector extends Detector {
    private static final int MAX_ERRNO = 1024;

    private final ErrorSpec spec;
    private final OperationTable operations;
    private final int source;
    private final boolean[] countedErrno = new boolean[MAX_ERRNO];
    private final boolean[] countedOperation = new boolean[EventLayout.CMD_SLOTS];

    public ErrorDetector(ErrorSpec spec, MountLookup mounts, MonotonicClock clock) {
        super(spec, Anomaly.Kind.ERROR, EventLayout.KIND_ERROR, spec.minCount(), spec.window(), mounts, clock);
        this.spec = spec;
        this.operations = OperationTable.of(spec.protocol(), spec.layer());
        this.source = Sources.of(spec.protocol(), spec.layer());
        for (int errno = 1; errno < MAX_ERRNO; errno++) {
            countedErrno[errno] = spec.excludeCodes();
        }
        spec.codes().forEach(code -> countedErrno[Errno.ofName(code).orElseThrow()] = !spec.excludeCodes());
        if (spec.operations().isEmpty()) {
            java.util.Arrays.fill(countedOperation, true);
        } else {
            spec.operations().forEach(op -> operations.codes(op).orElseThrow().forEach(c -> countedOperation[c] = true));
        }
    }

    @Override
    protected boolean readsSource(int eventSource) {
        return eventSource == source;
    }

    @Override
    protected boolean counts(EventBatch batch, int i) {
        int errno = -batch.error(i);
        int command = batch.command(i);
        return errno > 0 && errno < MAX_ERRNO && countedErrno[errno]
                && command < countedOperation.length && countedOperation[command];
    }

    @Override
    protected String operationName(int code) {
        return operations.nameOf(code);
    }

    @Override
    protected String breakdownOf(Event e) {
        return Errno.nameOf(e.error());
    }

    @Override
    protected Duration thresholdOf(String operation) {
        return Duration.ZERO;
    }

    @Override
    protected String summarize(Anomaly.Trigger trigger, int count, String operation, MountKey mount,
            Duration maxLatency, Map<String, Integer> breakdown) {
        return String.format("%d failed %s requests on %s within %s, mostly %s: %s", count, spec.protocol(),
                mount.describe(), ms(spec.window()), operation, breakdown);
    }
}
