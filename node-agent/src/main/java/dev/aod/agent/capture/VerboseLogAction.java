package dev.aod.agent.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Opt-in: switches the kernel's verbose cifs/sunrpc logging on for a short window after the trigger,
 * takes the kernel log, and switches it back off whatever happens.
 */
public record VerboseLogAction(VerboseSwitches switches, Duration timeout) implements CaptureAction {

    @Override
    public String name() {
        return "verbose_log";
    }

    @Override
    public String fileName() {
        return "verbose-kernel-log.txt";
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        var verbose = context.settings().verbose();
        if (!verbose.cifsFyi() && !verbose.rpcDebug()) {
            throw new SkippedException("verbose kernel logging is off (capture.verbose.cifsFyi, capture.verbose.rpcDebug)");
        }
        if (!switches.switchOn(verbose.cifsFyi(), verbose.rpcDebug())) {
            throw new SkippedException("another verbose window is open, or no switch exists on this kernel");
        }
        try {
            Thread.sleep(verbose.duration().toMillis());
        } finally {
            switches.switchOff();
        }
        return CommandAction.run(List.of("dmesg", "--time-format=iso"), out, err, Duration.ofSeconds(10));
    }
}
