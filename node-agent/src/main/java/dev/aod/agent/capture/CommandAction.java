package dev.aod.agent.capture;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Runs a command with stdout to the output file and stderr beside it; killed at its timeout. */
public record CommandAction(String name, String fileName, Function<CaptureContext, List<String>> command,
        Duration timeout) implements CaptureAction {

    public static CommandAction of(String name, String fileName, Duration timeout, String... command) {
        List<String> fixed = List.of(command);
        return new CommandAction(name, fileName, c -> fixed, timeout);
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        return run(command.apply(context), out, err, timeout);
    }

    static int run(List<String> command, Path out, Path err, Duration timeout) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                    .start();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("error=2,")) {
                throw new CaptureAction.SkippedException(command.get(0) + " is not installed on this host");
            }
            throw new IOException(command.get(0) + " cannot be run: " + e.getMessage(), e);
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TimeoutException(String.join(" ", command) + " ran longer than " + timeout.toMillis() + " ms");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }
}
