package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Session events (session.bpf.h) as the smb-session and nfs-session probes send them. */
class SessionEventsIT {
    private static final int RETRANSMIT = 4;
    private static final int NFS4_READ = 1;

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
    void everyOccurrenceCrossesWithWhatItConcerns() {
        selftest.run("session", EventLayout.SOURCE_NFS_RPC, EventLayout.PROBE_NFS_SESSION, RETRANSMIT, 9, 0xabcdef,
                NFS4_READ, 3, -110);

        assertThat(selftest.drain()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo(EventLayout.SOURCE_NFS_RPC);
            assertThat(e.kind()).isEqualTo(EventLayout.KIND_SESSION);
            assertThat(e.command()).isEqualTo(RETRANSMIT);
            assertThat(e.connId()).isEqualTo(9);
            assertThat(e.requestId()).isEqualTo(0xabcdef);
            assertThat(e.status()).isEqualTo(NFS4_READ);
            assertThat(e.aux()).isEqualTo(3);
            assertThat(e.error()).isEqualTo(-110);
            assertThat(e.tsNs()).isPositive();
        });
    }

    @Test
    void aFullRingIsCountedAgainstTheSessionProbe() {
        long capacity = selftest.ring.capacityBytes() / (EventLayout.SIZE + 8);
        selftest.run("fill", capacity, 0);
        selftest.run("session", EventLayout.SOURCE_SMB_WIRE, EventLayout.PROBE_SMB_SESSION, 0, 1, 2, 3, 4, 0);

        assertThat(selftest.drops(EventLayout.PROBE_SMB_SESSION, EventLayout.DROP_RINGBUF_FULL)).isEqualTo(1);
    }
}
