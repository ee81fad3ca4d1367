package dev.aod.agent.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/** A copy of the continuously recorded cifs/nfs/sunrpc trace ring at the trigger. */
public record FtraceAction(Supplier<FtraceRecorder> recorder, Duration timeout) implements CaptureAction {

    @Override
    public String name() {
        return "ftrace";
    }

    @Override
    public String fileName() {
        return "ftrace.txt";
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        FtraceRecorder r = recorder.get();
        if (r == null) {
            throw new SkippedException("the ftrace window is off (capture.ftrace.enabled) or tracefs is unavailable");
        }
        r.snapshot(out);
        return 0;
    }
}
