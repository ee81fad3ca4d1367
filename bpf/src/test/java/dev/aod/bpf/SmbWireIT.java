package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMB wire logic (smb_wire.bpf.h) of the smb-wire and smb-mid probes in the host kernel. The
 * host has no cifs module and refuses fentry, so the selftest object wraps the same functions in
 * raw_tp programs and this test calls them with BPF_PROG_TEST_RUN the way the cifs tracepoints and
 * the smb-mid functions would.
 */
class SmbWireIT {
    private static final int SMB2_WRITE = 9;
    private static final int SMB2_READ = 8;
    private static final long SESSION = 0x5eed_0000_0001L;
    private static final int STATUS_ACCESS_DENIED = 0xc0000022;
    private static final int SMB2_ECHO = 13;
    private static final int SMB2_SESSION_SETUP = 1;
    private static final int SMB2_QUERY_DIRECTORY = 14;
    private static final int STATUS_NO_MORE_FILES = 0x80000006;
    private static final int STATUS_END_OF_FILE = 0xc0000011;
    private static final int STATUS_MORE_PROCESSING_REQUIRED = 0xc0000016;
    private static final long MID_ADDRESS = 0xffff8880_12345600L;
    private static final int MID_REQUEST_ALLOCATED = 0x01;
    private static final int MID_RESPONSE_RECEIVED = 0x04;
    private static final int MID_RETRY_NEEDED = 0x08;

    private BpfObject selftest;
    private RingBufferReader ring;
    private final EventBatch batch = new EventBatch(64);

    @BeforeEach
    void load() {
        HostKernel.assumeBpf();
        selftest = BpfObject.openResource(SmbWireIT.class, "aod_selftest.bpf.o");
        selftest.load();
        ring = RingBufferReader.open(selftest.map("events"));
        gate(true);
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
        err(SESSION, 44, STATUS_ACCESS_DENIED, -13, SMB2_WRITE);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(batch.kind(0)).isEqualTo(EventLayout.KIND_ERROR);
        assertThat(batch.status(0)).isEqualTo(STATUS_ACCESS_DENIED);
        assertThat(batch.error(0)).isEqualTo(-13);
        assertThat(batch.command(0)).isEqualTo(SMB2_WRITE);
    }

    @Test
    void statusesCifsTakesForANormalEndAreCompletionsNotErrors() {
        threshold(SMB2_QUERY_DIRECTORY, 0);
        threshold(SMB2_READ, 60_000_000_000L);
        threshold(SMB2_SESSION_SETUP, 60_000_000_000L);
        enter(SESSION, 60, SMB2_QUERY_DIRECTORY, 5);
        err(SESSION, 60, STATUS_NO_MORE_FILES, -61, SMB2_QUERY_DIRECTORY);
        enter(SESSION, 61, SMB2_READ, 5);
        err(SESSION, 61, STATUS_END_OF_FILE, -61, SMB2_READ);
        enter(SESSION, 62, SMB2_SESSION_SETUP, 0);
        err(SESSION, 62, STATUS_MORE_PROCESSING_REQUIRED, -5, SMB2_SESSION_SETUP);

        assertThat(ring.drain(batch)).as("only the listing's end, over its threshold").isEqualTo(1);
        assertThat(batch.kind(0)).isEqualTo(EventLayout.KIND_SLOW);
        assertThat(batch.command(0)).isEqualTo(SMB2_QUERY_DIRECTORY);
        assertThat(batch.status(0)).isEqualTo(STATUS_NO_MORE_FILES);
        assertThat(batch.error(0)).isZero();
        assertThat(inflight()).isZero();
    }

    @Test
    void theSameStatusOnAnotherCommandIsAnError() {
        enter(SESSION, 63, SMB2_WRITE, 5);
        err(SESSION, 63, STATUS_END_OF_FILE, -61, SMB2_WRITE);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(batch.kind(0)).isEqualTo(EventLayout.KIND_ERROR);
        assertThat(batch.error(0)).isEqualTo(-61);
    }

    @Test
    void whileTheGateIsClosedNoRequestIsRecorded() {
        gate(false);
        threshold(SMB2_WRITE, 0);
        enter(SESSION, 64, SMB2_WRITE, 5);
        done(SESSION, 64);

        assertThat(inflight()).isZero();
        assertThat(ring.drain(batch)).isZero();
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

    private void gate(boolean open) {
        selftest.map("gates").putInt(EventLayout.SOURCE_SMB_WIRE, open ? 1 : 0);
    }

    private void threshold(int command, long ns) {
        selftest.map("thresholds").putLong(EventLayout.thresholdSlot(EventLayout.SOURCE_SMB_WIRE, command), ns);
    }

    private void enter(long session, long mid, int command, int treeId) {
        selftest.program("smb_enter").testRun(session, mid, command, treeId);
    }

    /** smb3_cmd_err of a request: its NT status, the errno cifs mapped it to, and its command. */
    private void err(long session, long mid, int status, int errno, int command) {
        selftest.program("smb_err").testRun(session, mid, status, errno, command);
    }

    private void done(long session, long mid) {
        selftest.program("smb_done").testRun(session, mid);
    }

    @Test
    void theMidProbeAddsConnectionAndCompoundFlagAndRemembersTheMid() {
        threshold(SMB2_WRITE, 0);
        enter(SESSION, 47, SMB2_WRITE, 5);
        selftest.program("smb_annotate").testRun(SESSION, 47, MID_ADDRESS, 0xc0, EventLayout.FLAG_COMPOUND);
        assertThat(selftest.map("smb_mids").countEntries()).isEqualTo(1);
        done(SESSION, 47);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(batch.connId(0)).isEqualTo(0xc0);
        assertThat(batch.flags(0)).isEqualTo(EventLayout.FLAG_COMPOUND);
    }

    @Test
    void anInterimPendingResponseMarksTheRequestAsync() {
        threshold(SMB2_WRITE, 0);
        enter(SESSION, 48, SMB2_WRITE, 5);
        selftest.program("smb_pending").testRun(SESSION, 48);
        done(SESSION, 48);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(batch.flags(0)).isEqualTo(EventLayout.FLAG_ASYNC);
    }

    @Test
    void aMidFreedAfterItsMappedResponseReportsNothingMore() {
        threshold(SMB2_WRITE, 0);
        enter(SESSION, 49, SMB2_WRITE, 5);
        selftest.program("smb_annotate").testRun(SESSION, 49, MID_ADDRESS, 1, 0);
        done(SESSION, 49);
        released(MID_ADDRESS, MID_RESPONSE_RECEIVED);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(selftest.map("smb_mids").countEntries()).isZero();
    }

    @Test
    void aResponseCifsNeverMapsEndsWhenItsMidIsFreed() {
        threshold(SMB2_ECHO, 0);
        enter(SESSION, 50, SMB2_ECHO, 0);
        selftest.program("smb_annotate").testRun(SESSION, 50, MID_ADDRESS, 1, 0);
        released(MID_ADDRESS, MID_RESPONSE_RECEIVED);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(batch.kind(0)).isEqualTo(EventLayout.KIND_SLOW);
        assertThat(batch.command(0)).isEqualTo(SMB2_ECHO);
        assertThat(inflight()).isZero();
    }

    @Test
    void aRequestThatDiesInAReconnectFailsWithEagainAndLeavesTheInflightMap() {
        enter(SESSION, 51, SMB2_WRITE, 5);
        selftest.program("smb_annotate").testRun(SESSION, 51, MID_ADDRESS, 1, 0);
        released(MID_ADDRESS, MID_RETRY_NEEDED);

        assertThat(ring.drain(batch)).isEqualTo(1);
        assertThat(batch.kind(0)).isEqualTo(EventLayout.KIND_ERROR);
        assertThat(batch.error(0)).isEqualTo(-11);
        assertThat(batch.status(0)).isZero();
        assertThat(inflight()).isZero();
    }

    @Test
    void aMidFreedBeforeItWasSentIsForgottenSilently() {
        enter(SESSION, 52, SMB2_WRITE, 5);
        selftest.program("smb_annotate").testRun(SESSION, 52, MID_ADDRESS, 1, 0);
        released(MID_ADDRESS, MID_REQUEST_ALLOCATED);

        assertThat(ring.drain(batch)).isZero();
        assertThat(inflight()).isZero();
    }

    private void released(long midAddress, int midState) {
        selftest.program("smb_released").testRun(midAddress, midState);
    }

    private long inflight() {
        return selftest.map("smb_inflight").countEntries();
    }
}
