package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The switches on a fake /proc: the real ones are only in the guest kernel. */
class VerboseSwitchesTest {
    @TempDir
    Path proc;
    @TempDir
    Path out;

    @BeforeEach
    void fakeProc() throws Exception {
        Files.createDirectories(proc.resolve("fs/cifs"));
        Files.createDirectories(proc.resolve("sys/sunrpc"));
        Files.writeString(proc.resolve("fs/cifs/cifsFYI"), "0\n");
        Files.writeString(proc.resolve("sys/sunrpc/nfs_debug"), "0x0000\n");
        Files.writeString(proc.resolve("sys/sunrpc/rpc_debug"), "1\n");
    }

    @Test
    void switchesOnAndBackToThePreviousValues() throws Exception {
        VerboseSwitches switches = new VerboseSwitches(proc, out.resolve(".verbose"));

        assertThat(switches.switchOn(true, true)).isTrue();
        assertThat(proc.resolve("fs/cifs/cifsFYI")).hasContent("7");
        assertThat(proc.resolve("sys/sunrpc/nfs_debug")).hasContent("65535");
        assertThat(switches.switchOn(true, false)).as("one window at a time").isFalse();

        switches.switchOff();
        assertThat(proc.resolve("fs/cifs/cifsFYI")).hasContent("0");
        assertThat(proc.resolve("sys/sunrpc/nfs_debug")).hasContent("0x0000");
        assertThat(proc.resolve("sys/sunrpc/rpc_debug")).hasContent("1");
        assertThat(out.resolve(".verbose")).doesNotExist();
    }

    @Test
    void aRunThatDiedWithTheSwitchesOnIsRepairedAtTheNextStart() throws Exception {
        new VerboseSwitches(proc, out.resolve(".verbose")).switchOn(true, false);
        assertThat(proc.resolve("fs/cifs/cifsFYI")).hasContent("7");

        VerboseSwitches nextRun = new VerboseSwitches(proc, out.resolve(".verbose"));
        assertThat(nextRun.restoreLeftovers()).containsValue("0");
        assertThat(proc.resolve("fs/cifs/cifsFYI")).hasContent("0");
        assertThat(out.resolve(".verbose")).doesNotExist();
        assertThat(nextRun.restoreLeftovers()).isEmpty();
    }
}
