package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.config.CaptureSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java-implemented actions against fake /proc, /sys, /etc and /var/log trees. */
class ActionsTest {
    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    Path root;
    @TempDir
    Path staging;

    private final CaptureRunner runner = new CaptureRunner();
    private HostPaths host;

    @BeforeEach
    void fakeHost() throws Exception {
        host = new HostPaths(root.resolve("proc"), root.resolve("sys"), root.resolve("etc"), root.resolve("var/log"));
        task("100", "100", "(kworker/0:1) S 2");
        task("200", "201", "(dd) D 1");
        Files.writeString(root.resolve("proc/200/task/201/comm"), "dd\n");
        Files.writeString(root.resolve("proc/200/task/201/wchan"), "wait_for_response");
        Files.writeString(root.resolve("proc/200/task/201/stack"), "[<0>] wait_for_response+0x1a/0x2b [cifs]\n");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        Files.writeString(root.resolve("proc/version"), "Linux version 6.1.0-56-amd64\n");
        Files.writeString(root.resolve("proc/modules"), "cifs 1400000 2 - Live 0x0\nsnd 1000 0 - Live 0x0\n");
        Files.createDirectories(root.resolve("sys/module/cifs/parameters"));
        Files.writeString(root.resolve("sys/module/cifs/version"), "2.40\n");
        Files.writeString(root.resolve("sys/module/cifs/parameters/slow_rsp_threshold"), "1\n");
        Files.createDirectories(root.resolve("sys/kernel/debug/sunrpc/rpc_clnt/4"));
        Files.writeString(root.resolve("sys/kernel/debug/sunrpc/rpc_clnt/4/info"), "addr: 127.0.0.1\n");
        Files.createDirectories(root.resolve("proc/1"));
        Files.writeString(root.resolve("proc/1/mounts"), "sysfs /sys sysfs rw 0 0\n");
    }

    private void task(String pid, String tid, String stat) throws Exception {
        Path t = root.resolve("proc").resolve(pid).resolve("task").resolve(tid);
        Files.createDirectories(t);
        Files.writeString(t.resolve("stat"), tid + " " + stat + " 0 0\n");
    }

    private ActionResult run(CaptureAction action) throws Exception {
        return runner.run(List.of(action), new CaptureContext(null, Instant.now(), System.nanoTime(), staging,
                CaptureSettings.DEFAULTS)).get(0);
    }

    @Test
    void blockedStacksListsOnlyTasksInUninterruptibleSleep() throws Exception {
        ActionResult r = run(new BlockedTasksAction(host.proc(), T));

        assertThat(r.status()).isEqualTo(ActionResult.Status.OK);
        assertThat(Files.readString(staging.resolve("blocked-tasks.txt")))
                .contains("pid 200 tid 201 comm dd wchan wait_for_response", "wait_for_response+0x1a/0x2b [cifs]",
                        "1 task(s) in uninterruptible sleep")
                .doesNotContain("kworker");
    }

    @Test
    void sysinfoDescribesTheSystemAndTheClientModules() throws Exception {
        ActionResult r = run(new SysinfoAction(host.proc(), host.sys(), host.etc(), T));

        assertThat(r.status()).isEqualTo(ActionResult.Status.OK);
        assertThat(Files.readString(staging.resolve("sysinfo.txt")))
                .contains("Debian GNU/Linux 12", "Linux version 6.1.0-56-amd64", "cifs 1400000",
                        "version: 2.40", "parameter slow_rsp_threshold = 1")
                .doesNotContain("snd 1000");
    }

    @Test
    void rpcClientsGathersTheDebugfsFiles() throws Exception {
        ActionResult r = run(new GlobAction("rpc_clients", "nfs/rpc-clients.txt", host.debugfs().resolve("sunrpc"),
                List.of("rpc_clnt/*/info"), "debugfs", T));

        assertThat(r.status()).isEqualTo(ActionResult.Status.OK);
        assertThat(Files.readString(staging.resolve("nfs/rpc-clients.txt"))).contains("rpc_clnt/4/info", "addr: 127.0.0.1");
    }

    @Test
    void actionsThatDoNotApplyAreSkippedWithTheReason() throws Exception {
        assertThat(run(new SmbinfoAction(host, T))).satisfies(r -> {
            assertThat(r.status()).isEqualTo(ActionResult.Status.SKIPPED);
            assertThat(r.error()).isEqualTo("no SMB mount");
            assertThat(r.file()).isNull();
        });
        assertThat(run(new SyslogsAction(host.varLog(), T)).error()).contains("journald-only host");
        assertThat(run(new FtraceAction(() -> null, T)).status()).isEqualTo(ActionResult.Status.SKIPPED);
        assertThat(run(new PacketCaptureAction(() -> null, T)).error()).contains("capture.packetCapture.enabled");
        assertThat(run(new VerboseLogAction(new VerboseSwitches(host, root.resolve("kmsg"), staging.resolve(".v")), T)).error())
                .contains("capture.verbose.cifsFyi");
    }

    @Test
    void syslogKeepsTheEndOfTheFile() throws Exception {
        Files.createDirectories(host.varLog());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            lines.append("line ").append(i).append('\n');
        }
        Files.writeString(host.varLog().resolve("syslog"), lines);

        run(new SyslogsAction(host.varLog(), T));

        List<String> tail = Files.readAllLines(staging.resolve("syslog-tail.txt"));
        assertThat(tail).hasSize(2000).startsWith("line 500").endsWith("line 2499");
    }
}
