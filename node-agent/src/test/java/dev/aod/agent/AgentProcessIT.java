package dev.aod.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent on the build machine's own kernel, which has BPF but no cifs module: it must
 * load, say the SMB probe is not applicable, and keep running rather than crash-loop.
 */
class AgentProcessIT {
    private static final Path JAR = Path.of("target/aod-agent.jar");

    @TempDir
    Path dir;

    @Test
    void runsOnAKernelWithoutCifsAndReportsTheProbeNotApplicable() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "loading BPF needs root");
        assumeTrue(!Files.isDirectory(Path.of("/sys/module/cifs")), "this host has a cifs module");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                watch_interval_sec: 1
                aod_output_dir: %s
                guardian:
                  anomalies:
                    latency: {type: Latency, acceptable_count: 5, actions: [dmesg]}
                """.formatted(dir.resolve("out")));
        Path log = dir.resolve("agent.log");
        Process agent = new ProcessBuilder(java(), "-jar", JAR.toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForLine(log, "watching;", Duration.ofSeconds(30));
            Thread.sleep(6000);
            assertThat(agent.isAlive()).as("still running after its first probe refresh").isTrue();
            assertThat(Files.readString(log))
                    .contains("probe smb-wire: not applicable — the cifs module is not loaded on this kernel")
                    .doesNotContain("ERROR", "Exception");
        } finally {
            agent.destroy();
        }
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("stopping");
    }

    @Test
    void probesCommandListsEveryProbeWithItsState() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "loading BPF needs root");
        Process p = new ProcessBuilder(java(), "-jar", JAR.toString(), "probes").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor()).isZero();
        assertThat(output.lines().toList()).contains(Files.isDirectory(Path.of("/sys/module/cifs"))
                ? "smb-wire: attached (tracepoint) — cifs/smb3_cmd_enter, smb3_cmd_done, smb3_cmd_err: latency per SMB2 command, errors"
                : "smb-wire: not applicable — the cifs module is not loaded on this kernel");
    }

    @Test
    void checkConfigNamesTheFieldAndValueAndExitsNonZero() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "watch_interval_sec: soon\naod_output_dir: /tmp/aod\n");
        Process p = new ProcessBuilder(java(), "-jar", JAR.toString(), "check-config", config.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();

        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(lines).contains("  watch_interval_sec: must be a whole number (got \"soon\")");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void waitForLine(Path log, String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("agent did not log \"" + text + "\" within " + timeout + ":\n" + Files.readString(log));
    }
}
