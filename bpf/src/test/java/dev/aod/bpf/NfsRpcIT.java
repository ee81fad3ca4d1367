package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nfs-rpc logic (nfs_rpc.bpf.h) in the host kernel, called through BPF_PROG_TEST_RUN the way
 * rpc_task_begin and rpc_task_end would (the task's address as key, its command and RPC client).
 */
class NfsRpcIT {
    private static final int NFS4_WRITE = 2;
    private static final int NFS3_READ = 128 + 6;
    private static final long TASK = 0xffff8880_0000a000L;
    private static final int CLIENT = 7;
    private static final int DEV = (0 << 20) | 44;

    private Selftest selftest;

    @BeforeEach
    void load() {
        selftest = new Selftest();
    }

    @AfterEach
    void close() {
        if (selftest != null) {
            selftest.close();
        }
    }

    @Test
    void aSlowProcedureCrossesWithXidClientIssuerAndTheMountsDevOnceNoted() {
        selftest.threshold(EventLayout.SOURCE_NFS_RPC, NFS4_WRITE, 0);
        selftest.run("nfs_client", CLIENT, DEV);
        selftest.run("nfs_start", TASK, NFS4_WRITE, CLIENT);
        selftest.run("nfs_end", TASK, 0, 0x1234abcdL);

        List<Event> events = selftest.drain();
        assertThat(events).hasSize(1);
        Event e = events.get(0);
        assertThat(e.source()).isEqualTo(EventLayout.SOURCE_NFS_RPC);
        assertThat(e.kind()).isEqualTo(EventLayout.KIND_SLOW);
        assertThat(e.command()).isEqualTo(NFS4_WRITE);
        assertThat(e.requestId()).isEqualTo(0x1234abcdL);
        assertThat(e.connId()).isEqualTo(CLIENT);
        assertThat(e.dev()).isEqualTo(DEV);
        assertThat(e.tgid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(e.latencyNs()).isPositive();
        assertThat(selftest.entries("nfs_inflight")).isZero();
    }

    @Test
    void whileTheGateIsClosedNoTaskIsRecorded() {
        selftest.gate(EventLayout.SOURCE_NFS_RPC, false);
        selftest.threshold(EventLayout.SOURCE_NFS_RPC, NFS4_WRITE, 0);
        selftest.run("nfs_start", TASK, NFS4_WRITE, CLIENT);

        assertThat(selftest.entries("nfs_inflight")).isZero();
        selftest.run("nfs_end", TASK, 0, 1);
        assertThat(selftest.drain()).isEmpty();
    }

    @Test
    void aFastProcedureStaysInTheKernelAndAnUntrackedOneToo() {
        selftest.threshold(EventLayout.SOURCE_NFS_RPC, NFS4_WRITE, 60_000_000_000L);
        selftest.run("nfs_start", TASK, NFS4_WRITE, CLIENT);
        selftest.run("nfs_end", TASK, 0, 1);
        selftest.run("nfs_start", TASK + 8, NFS3_READ, CLIENT);
        selftest.run("nfs_end", TASK + 8, 0, 2);

        assertThat(selftest.drain()).isEmpty();
        assertThat(selftest.entries("nfs_inflight")).isZero();
    }

    @Test
    void aFailedProcedureCrossesWithItsErrnoWhateverTheThreshold() {
        selftest.run("nfs_start", TASK, NFS3_READ, CLIENT);
        selftest.run("nfs_end", TASK, -13, 5);

        List<Event> events = selftest.drain();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventLayout.KIND_ERROR);
            assertThat(e.error()).isEqualTo(-13);
            assertThat(e.command()).isEqualTo(NFS3_READ);
            assertThat(e.dev()).as("no mount noted for this client").isZero();
        });
    }

    @Test
    void theXidLearnedFromARetransmitServesWhenTheEndHasNone() {
        selftest.run("nfs_start", TASK, NFS4_WRITE, CLIENT);
        selftest.run("nfs_xid", TASK, 0x77);
        selftest.run("nfs_end", TASK, -5, 0);

        assertThat(selftest.drain()).singleElement().satisfies(e -> assertThat(e.requestId()).isEqualTo(0x77));
    }

    @Test
    void aRequestInFlightKnowsItsMountFromItsStart() {
        selftest.run("nfs_client", CLIENT, DEV);
        selftest.run("nfs_start", TASK, NFS4_WRITE, CLIENT);

        java.util.List<BpfMap.Entry> inflight = selftest.object.map("nfs_inflight").entries();
        assertThat(inflight).singleElement().satisfies(entry ->
                assertThat(InflightLayout.nfsHung(entry.value(), System.nanoTime()).dev()).isEqualTo(DEV));
    }

    @Test
    void anEndWithoutABeginIsIgnored() {
        selftest.threshold(EventLayout.SOURCE_NFS_RPC, NFS4_WRITE, 0);
        selftest.run("nfs_end", TASK, -5, 1);

        assertThat(selftest.drain()).isEmpty();
    }
}
