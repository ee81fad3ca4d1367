package dev.aod.agent.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a command with stdout to the output file and stderr beside it; killed at its timeout. */
public record CommandAction(String name, String fileName, List<String> command, Duration timeout)
        implements CaptureAction {

    public CommandAction {
        command = List.copyOf(command);
    }

    @Override
    public int capture(Path out, Path err) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TimeoutException(String.join(" ", command) + " ran longer than " + timeout.toMillis() + " ms");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
    }
}
