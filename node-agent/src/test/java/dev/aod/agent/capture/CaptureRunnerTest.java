package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.config.CaptureSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureRunnerTest {
    @TempDir
    Path dir;

    private final CaptureRunner runner = new CaptureRunner();

    private CaptureContext context() {
        return new CaptureContext(null, java.time.Instant.now(), System.nanoTime(), dir, CaptureSettings.DEFAULTS);
    }

    @AfterEach
    void close() {
        runner.close();
    }

    @Test
    void aHangingActionTimesOutWithoutHoldingUpTheOthers() throws Exception {
        long start = System.nanoTime();
        List<ActionResult> results = runner.run(List.of(
                command("slow", "sleep 30", Duration.ofSeconds(1)),
                command("quick", "echo evidence", Duration.ofSeconds(5))), context());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(results.get(0).status()).isEqualTo(ActionResult.Status.TIMED_OUT);
        assertThat(results.get(0).error()).contains("ran longer than 1000 ms");
        assertThat(results.get(1).status()).isEqualTo(ActionResult.Status.OK);
        assertThat(dir.resolve("quick.txt")).hasContent("evidence");
    }

    @Test
    void aFailingCommandKeepsItsOutputAndStderrBesideIt() throws Exception {
        ActionResult r = runner.run(List.of(
                command("fails", "echo partial; echo 'no such share' >&2; exit 3", Duration.ofSeconds(5))), context()).get(0);

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.error()).isEqualTo("exited with 3");
        assertThat(r.stderrFile()).isEqualTo("fails.txt.stderr");
        assertThat(dir.resolve("fails.txt")).hasContent("partial");
        assertThat(dir.resolve("fails.txt.stderr")).hasContent("no such share");
    }

    @Test
    void aMissingCommandIsSkippedWithItsName() throws Exception {
        ActionResult r = runner.run(List.of(CommandAction.of("nope", "nope.txt", Duration.ofSeconds(5),
                "/nonexistent/aod-tool")), context()).get(0);

        assertThat(r.status()).isEqualTo(ActionResult.Status.SKIPPED);
        assertThat(r.error()).isEqualTo("/nonexistent/aod-tool is not installed on this host");
    }

    @Test
    void fileActionsCopyProcFilesAndExplainAnAbsentOne(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("fs/cifs"));
        Files.writeString(proc.resolve("fs/cifs/Stats"), "Resources in use\nCIFS Session: 1\n");
        Files.createDirectories(proc.resolve("1"));
        Files.writeString(proc.resolve("1/mountinfo"), "36 25 0:32 / /mnt/smb rw - cifs //127.0.0.1/share rw\n");
        HostPaths host = new HostPaths(proc, proc.resolve("sys"), proc.resolve("etc"), proc.resolve("log"));
        ActionCatalog catalog = new ActionCatalog(CaptureSettings.DEFAULTS, host, new FlightRecorder(16),
                dev.aod.agent.detect.MonotonicClock.SYSTEM, () -> null, () -> null,
                new VerboseSwitches(host, dir.resolve("kmsg"), dir.resolve(".verbose")));

        List<ActionResult> results = runner.run(catalog.resolve(List.of("stats", "debugdata", "mounts")), context());

        assertThat(results).extracting(ActionResult::status)
                .containsExactly(ActionResult.Status.OK, ActionResult.Status.SKIPPED, ActionResult.Status.OK);
        assertThat(dir.resolve("cifs/Stats.txt")).hasContent("Resources in use\nCIFS Session: 1");
        assertThat(results.get(1).error()).contains("fs/cifs/DebugData", "the cifs module is not loaded");
        assertThat(results.get(0).bytes()).isEqualTo(33);
    }

    private static CommandAction command(String name, String script, Duration timeout) {
        return CommandAction.of(name, name + ".txt", timeout, "sh", "-c", script);
    }
}
