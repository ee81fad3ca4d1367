package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switches on a fake /proc, /dev/kmsg and dynamic debug control file (plain files: the real ones
 * are only in the guest kernel, where PipelineE2E reads the window's cifsFYI lines).
 */
class VerboseSwitchesTest {
    @TempDir
    Path proc;
    @TempDir
    Path out;

    @BeforeEach
    void fakeProc() throws Exception {
        Files.createDirectories(proc.resolve("fs/cifs"));
        Files.createDirectories(proc.resolve("sys/sunrpc"));
        Files.createDirectories(proc.resolve("dynamic_debug"));
        Files.writeString(proc.resolve("fs/cifs/cifsFYI"), "0\n");
        Files.writeString(proc.resolve("sys/sunrpc/nfs_debug"), "0x0000\n");
        Files.writeString(proc.resolve("sys/sunrpc/rpc_debug"), "1\n");
        Files.writeString(proc.resolve("dynamic_debug/control"), """
                # filename:lineno [module]function flags format
                fs/cifs/transport.c:1093 [cifs]compound_send_recv =_ "Sending compound request\\n"
                fs/cifs/connect.c:1180 [cifs]cifs_demultiplex_thread =_ "Demultiplex PID: %d\\n"
                net/sunrpc/clnt.c:1799 [sunrpc]call_start =p "%5u %s: call_start\\n"
                fs/nfs/write.c:1700 [nfs]nfs_commit_release_pages =_ "NFS: commit\\n"
                """);
    }

    private VerboseSwitches switches() {
        return new VerboseSwitches(new HostPaths(proc, out.resolve("sys"), out.resolve("etc"), out.resolve("log")),
                out.resolve("kmsg"), out.resolve(".verbose"));
    }

    @Test
    void switchesOnAndBackToThePreviousValues() throws Exception {
        VerboseSwitches switches = switches();

        assertThat(switches.switchOn(true, true)).isTrue();
        assertThat(proc.resolve("fs/cifs/cifsFYI")).hasContent("7");
        assertThat(proc.resolve("sys/sunrpc/nfs_debug")).hasContent("65535");
        assertThat(proc.resolve("dynamic_debug/control")).as("the last module switched on").hasContent("module nfs +p");
        assertThat(out.resolve(".verbose")).content().contains("module cifs -p", "module nfs -p").doesNotContain("module sunrpc");
        assertThat(out.resolve("kmsg")).content()
                .startsWith(VerboseSwitches.ON_MARK + " (cifsFYI, nfs_debug, rpc_debug; dynamic debug of cifs, nfs)");
        assertThat(switches.switchOn(true, false)).as("one window at a time").isFalse();

        switches.switchOff();
        assertThat(proc.resolve("fs/cifs/cifsFYI")).hasContent("0");
        assertThat(proc.resolve("sys/sunrpc/nfs_debug")).hasContent("0x0000");
        assertThat(proc.resolve("sys/sunrpc/rpc_debug")).hasContent("1");
        assertThat(proc.resolve("dynamic_debug/control")).content().matches("module (cifs|nfs) -p");
        assertThat(out.resolve("kmsg")).hasContent(VerboseSwitches.OFF_MARK);
        assertThat(out.resolve(".verbose")).doesNotExist();
    }

    @Test
    void aModuleWhoseDebugSomeoneSwitchedOnIsLeftAlone() throws Exception {
        VerboseSwitches switches = switches();

        switches.switchOn(false, true);

        assertThat(out.resolve(".verbose")).content().contains("module nfs -p").doesNotContain("module sunrpc", "module cifs");
    }

    @Test
    void theDebugfsControlFileWhereProcHasNone() throws Exception {
        Path debugfs = out.resolve("sys/kernel/debug/dynamic_debug");
        Files.createDirectories(debugfs);
        Files.move(proc.resolve("dynamic_debug/control"), debugfs.resolve("control"));

        switches().switchOn(true, false);

        assertThat(debugfs.resolve("control")).hasContent("module cifs +p");
        assertThat(proc.resolve("dynamic_debug/control")).doesNotExist();
    }

    @Test
    void aRunThatDiedWithTheSwitchesOnIsRepairedAtTheNextStart() throws Exception {
        switches().switchOn(true, false);
        assertThat(proc.resolve("fs/cifs/cifsFYI")).hasContent("7");
        assertThat(proc.resolve("dynamic_debug/control")).hasContent("module cifs +p");

        VerboseSwitches nextRun = switches();
        assertThat(nextRun.restoreLeftovers()).containsValues("0", "module cifs -p");
        assertThat(proc.resolve("fs/cifs/cifsFYI")).hasContent("0");
        assertThat(proc.resolve("dynamic_debug/control")).hasContent("module cifs -p");
        assertThat(out.resolve(".verbose")).doesNotExist();
        assertThat(nextRun.restoreLeftovers()).isEmpty();
    }

    @Test
    void theActionKeepsTheKernelLogOfTheLastWindowOnly() {
        List<String> log = List.of("boot", VerboseSwitches.ON_MARK + " (cifsFYI)", "old window", VerboseSwitches.OFF_MARK,
                "between", VerboseSwitches.ON_MARK + " (cifsFYI)", "CIFS: fs/cifs/transport.c: Sending",
                VerboseSwitches.OFF_MARK, "after");

        assertThat(VerboseLogAction.window(log)).containsExactly(VerboseSwitches.ON_MARK + " (cifsFYI)",
                "CIFS: fs/cifs/transport.c: Sending", VerboseSwitches.OFF_MARK);
        assertThat(VerboseLogAction.window(List.of("boot", "CIFS: x"))).first().asString()
                .startsWith("# the window's marks are not in the kernel log");
    }
}
