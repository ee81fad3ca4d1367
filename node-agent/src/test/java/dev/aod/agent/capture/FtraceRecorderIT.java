package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.aod.bpf.Tracefs;
import dev.aod.config.CaptureSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ftrace window on the build machine's own tracefs. The host has no cifs/nfs/sunrpc trace
 * systems, so the busy {@code sched} system stands in for them; the guest E2E covers the real ones.
 */
class FtraceRecorderIT {
    @TempDir
    Path dir;

    @Test
    void recordsIntoItsOwnInstanceAndSnapshotsWithoutConsuming() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "tracefs instances need root");
        Path tracefs = Tracefs.ensureMounted();
        FtraceRecorder recorder = new FtraceRecorder(tracefs, new CaptureSettings.Ftrace(true, 256, List.of("cifs", "sched"),
                List.of("sched/sched_switch", "sched/sched_stat_*", "cifs/smb3_*")));
        try {
            recorder.start();
            assertThat(recorder.enabledSystems()).containsExactly("sched");
            assertThat(bufferKb(tracefs)).as("rounded up to whole pages").isBetween(256, 272);
            Thread.sleep(300);

            recorder.snapshot(dir.resolve("one.txt"));
            recorder.snapshot(dir.resolve("two.txt"));

            String window = Files.readString(dir.resolve("one.txt"));
            assertThat(window).startsWith("# AOD ftrace window: systems [sched] without [sched/sched_switch, ");
            assertThat(window.substring(window.indexOf('\n'))).as("the events after the header")
                    .contains("sched_wakeup:").doesNotContain("sched_switch:", "sched_stat_");
            assertThat(Files.readString(tracefs.resolve("instances/aod/events/sched/sched_switch/enable")).strip())
                    .as("an excluded event").isEqualTo("0");
            assertThat(Files.readString(tracefs.resolve("instances/aod/events/sched/sched_wakeup/enable")).strip())
                    .as("the rest of its system").isEqualTo("1");
            assertThat(Files.size(dir.resolve("two.txt"))).as("reading the window does not consume it")
                    .isGreaterThan(Files.size(dir.resolve("one.txt")) / 2);
            assertThat(tracefs.resolve("tracing_on")).as("the host's main buffer is not touched").exists();
        } finally {
            recorder.close();
        }
        assertThat(tracefs.resolve("instances/aod")).doesNotExist();
    }

    private static int bufferKb(Path tracefs) throws java.io.IOException {
        return Integer.parseInt(Files.readString(tracefs.resolve("instances/aod/buffer_size_kb")).strip());
    }

    @Test
    void aStaleInstanceOfADeadAgentIsReplaced() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "tracefs instances need root");
        Path tracefs = Tracefs.ensureMounted();
        Files.createDirectories(tracefs.resolve("instances/aod"));
        FtraceRecorder recorder = new FtraceRecorder(tracefs, new CaptureSettings.Ftrace(true, 128, List.of("sched"), List.of()));
        try {
            recorder.start();
            assertThat(bufferKb(tracefs)).isBetween(128, 144);
        } finally {
            recorder.close();
        }
    }
}
