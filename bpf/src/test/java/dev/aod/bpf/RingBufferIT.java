package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ring buffer reader against a real BPF ring buffer in the host kernel. */
class RingBufferIT {
    private BpfObject selftest;
    private RingBufferReader ring;

    @BeforeEach
    void load() {
        HostKernel.assumeBpf();
        Tracefs.ensureMounted();
        selftest = BpfObject.openResource(RingBufferIT.class, "aod_selftest.bpf.o");
        selftest.load();
        ring = RingBufferReader.open(selftest.map("events"));
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
    void drainsEveryFieldOfEveryRecordAsTheKernelWroteIt() {
        selftest.program("fill").testRun(100, 1000);

        EventBatch batch = new EventBatch(256);
        assertThat(ring.drain(batch)).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            long n = 1000 + i;
            assertThat(batch.get(i)).isEqualTo(new Event(n, n * 3, 0x1122334455667788L, n, 0xc011, 0xc0ffee,
                    (int) ProcessHandle.current().pid(), (int) n, 0xc0000022, -13, 7, 0x800011, 3,
                    EventLayout.FLAG_ASYNC, (int) (n % 20), EventLayout.SOURCE_SELFTEST, EventLayout.KIND_SLOW,
                    "aod-fill"));
        }
        assertThat(ring.pendingBytes()).isZero();
        assertThat(ring.drain(batch)).isZero();
    }

    @Test
    void keepsOrderAcrossManyWrapsOfTheRing() {
        int perFill = 10_000;
        long recordsPerRing = ring.capacityBytes() / (EventLayout.SIZE + 8);
        long fills = 5 * recordsPerRing / perFill + 1;
        long expected = 0;
        EventBatch batch = new EventBatch(4096);
        for (long fill = 0; fill < fills; fill++) {
            selftest.program("fill").testRun(perFill, fill * perFill);
            int drained;
            do {
                batch.clear();
                drained = ring.drain(batch);
                for (int i = 0; i < drained; i++) {
                    assertThat(batch.requestId(i)).isEqualTo(expected++);
                }
            } while (drained > 0);
        }
        assertThat(expected).isEqualTo(fills * perFill);
        assertThat(dropCount(EventLayout.SOURCE_SELFTEST, EventLayout.DROP_RINGBUF_FULL)).isZero();
    }

    @Test
    void countsRecordsTheFullRingRefused() {
        long fits = ring.capacityBytes() / (EventLayout.SIZE + 8);
        selftest.program("fill").testRun(fits + 500, 0);

        long drained = 0;
        EventBatch batch = new EventBatch(4096);
        int n;
        while ((n = ring.drain(batch)) > 0) {
            drained += n;
            batch.clear();
        }
        assertThat(drained).isEqualTo(fits);
        assertThat(dropCount(EventLayout.SOURCE_SELFTEST, EventLayout.DROP_RINGBUF_FULL)).isEqualTo(500);
    }

    @Test
    void receivesEventsFromAnAttachedTracepoint() {
        selftest.map("target_tgid").putInt(0, (int) ProcessHandle.current().pid());
        try (BpfLink link = selftest.program("on_getppid").attach()) {
            for (int i = 0; i < 50; i++) {
                Native.get().libc.getppid();
            }
        }
        Native.get().libc.getppid();

        EventBatch batch = new EventBatch(256);
        assertThat(ring.drain(batch)).isEqualTo(50);
        assertThat(batch.tgid(0)).isEqualTo(ProcessHandle.current().pid());
    }

    private long dropCount(int source, int reason) {
        return selftest.map("drops").sumPerCpuLong(EventLayout.dropSlot(source, reason));
    }
}
