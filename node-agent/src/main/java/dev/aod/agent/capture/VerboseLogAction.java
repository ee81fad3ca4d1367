package dev.aod.agent.capture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opt-in: switches the kernel's verbose cifs/sunrpc logging on for a short window after the trigger,
 * switches it back off whatever happens, and keeps the kernel log of that window (between the marks
 * {@link VerboseSwitches} leaves in it; all of it where the marks could not be written).
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
        Path whole = out.resolveSibling(out.getFileName() + ".all");
        try {
            int exit = CommandAction.run(List.of("dmesg", "--time-format=iso"), whole, err, Duration.ofSeconds(10));
            Files.write(out, window(Files.readAllLines(whole, StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
            return exit;
        } finally {
            Files.deleteIfExists(whole);
        }
    }

    /** The lines from the last window's opening mark to its closing one, or all with a note where there is none. */
    static List<String> window(List<String> log) {
        int start = -1;
        for (int i = log.size() - 1; i >= 0 && start < 0; i--) {
            if (log.get(i).contains(VerboseSwitches.ON_MARK)) {
                start = i;
            }
        }
        if (start < 0) {
            return Stream.concat(Stream.of("# the window's marks are not in the kernel log "
                    + "(/dev/kmsg not writable?): the whole kernel log follows"), log.stream()).toList();
        }
        int end = start;
        while (end < log.size() - 1 && !log.get(end).contains(VerboseSwitches.OFF_MARK)) {
            end++;
        }
        return log.subList(start, end + 1);
    }
}
