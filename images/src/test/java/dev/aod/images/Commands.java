package dev.aod.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion, with a timeout, its output kept in memory. */
final class Commands {
    private Commands() {}

    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        Result require() {
            if (exitCode != 0) {
                throw new IllegalStateException(describe());
            }
            return this;
        }

        String describe() {
            return String.join(" ", command) + " exited " + exitCode + "\n--- stdout\n" + tail(stdout)
                    + "\n--- stderr\n" + tail(stderr);
        }
    }

    static Result run(Duration timeout, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("aod-cmd", ".out");
        Path err = Files.createTempFile("aod-cmd", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + "\n--- stdout\n" + tail(Files.readString(out, StandardCharsets.UTF_8))
                        + "\n--- stderr\n" + tail(Files.readString(err, StandardCharsets.UTF_8)));
            }
            return new Result(List.copyOf(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), command);
    }

    static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
