package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMB wire-latency logic of aod.bpf.c (smb_wire.bpf.h) in the host kernel. The host has no
 * cifs module, so the selftest object wraps the same functions in raw_tp programs and this test
 * calls them with BPF_PROG_TEST_RUN the way the cifs tracepoints would.
 */
class SmbWireIT {
    private static final int SMB2_WRITE = 9;
    private static final int SMB2_READ = 8;
    private static final long SESSION = 0x5eed_0000_0001L;
    private static final int STATUS_ACCESS_DENIED = 0xc0000022;

    private BpfObject selftest;
    private RingBufferReader ring;
    private final EventBatch batch = new EventBatch(64);

    @BeforeEach
    void load() {
        HostKernel.assumeBpf();
        selftest = BpfObject.openResource(SmbWireIT.class, "aod_selftest.bpf.o");
        selftest.load();
        ring = RingBufferReader.open(selftest.map("events"));
        for (int command = 0; command < EventLayout.CMD_SLOTS; command++) {
            threshold(command, EventLayout.NO_THRESHOLD);
        }
    }

    @AfterEach
    void close() {
        if (ring != null) {
            ring.close();
        }
        if (selftest != null) {
            selftest.close();
        }
    }

    @Test
    void aCompletionAtOrOverItsCommandsThresholdCrossesWithTheIssuerAndLatency() throws IOException {
        threshold(SMB2_WRITE, 0);
        enter(SESSION, 41, SMB2_WRITE, 5);
        done(SESSION, 41);

        assertThat(ring.drain(batch)).isEqualTo(1);
        Event e = batch.get(0);
        assertThat(e.source()).isEqualTo(EventLayout.SOURCE_SMB_WIRE);
        assertThat(e.kind()).isEqualTo(EventLayout.KIND_SLOW);
        assertThat(e.command()).isEqualTo(SMB2_WRITE);
        assertThat(e.sessionId()).isEqualTo(SESSION);
        assertThat(e.requestId()).isEqualTo(41);
        assertThat(e.treeId()).isEqualTo(5);
        assertThat(e.latencyNs()).isPositive();
        assertThat(e.tgid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(e.comm()).isEqualTo(Files.readString(Path.of("/proc/thread-self/comm")).strip());
        assertThat(e.cgroupId()).isPositive();
    }

    @Test
    void aCompletionUnderItsThresholdStaysInTheKernel() {
        threshold(SMB2_WRITE, 60_000_000_000L);
        threshold(SMB2_READ, 0);
        enter(SESSION, 42, SMB2_WRITE, 5);
        done(SESSION, 42);

        assertThat(ring.drain(batch)).isZero();
        assertThat(inflight()).as("the request left the in-flight map").isZero();
    }

    @Test
    void anUntrackedCommandNeverCrosses() {
        enter(SESSION, 43, SMB2_READ, 5);
        done(SESSION, 43);

        assertThat(ring.drain(batch)).isZero();
    }

    @Test
    void anErrorCrossesWithItsStatusWhateverTheThreshold() {
        enter(SESSION, 44, SMB2_WRITE, 5);
        selftest.program("smb_err").testRun(SESSION, 44, STATUS_ACCESS_DENIED, -13);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(batch.kind(0)).isEqualTo(EventLayout.KIND_ERROR);
        assertThat(batch.status(0)).isEqualTo(STATUS_ACCESS_DENIED);
        assertThat(batch.error(0)).isEqualTo(-13);
        assertThat(batch.command(0)).isEqualTo(SMB2_WRITE);
    }

    @Test
    void aResponseWithoutAKnownRequestIsIgnored() {
        threshold(SMB2_WRITE, 0);
        done(SESSION, 45);

        assertThat(ring.drain(batch)).isZero();
    }

    @Test
    void requestsOfDifferentSessionsWithTheSameMidAreApart() {
        threshold(SMB2_WRITE, 0);
        enter(SESSION, 46, SMB2_WRITE, 5);
        enter(SESSION + 1, 46, SMB2_READ, 6);
        done(SESSION, 46);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(batch.command(0)).isEqualTo(SMB2_WRITE);
        assertThat(inflight()).isEqualTo(1);
    }

    private void threshold(int command, long ns) {
        selftest.map("thresholds").putLong(EventLayout.thresholdSlot(EventLayout.SOURCE_SMB_WIRE, command), ns);
    }

    private void enter(long session, long mid, int command, int treeId) {
        selftest.program("smb_enter").testRun(session, mid, command, treeId);
    }

    private void done(long session, long mid) {
        selftest.program("smb_done").testRun(session, mid);
    }

    private long inflight() {
        return selftest.map("smb_inflight").countEntries();
    }
}
