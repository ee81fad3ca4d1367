package dev.aod.bpf;

import java.util.ArrayList;
import java.util.List;

/** aod_selftest.bpf.o loaded into the host kernel, every threshold at "not tracked", and its ring buffer. */
final class Selftest implements AutoCloseable {
    final BpfObject object;
    final RingBufferReader ring;
    private final EventBatch batch = new EventBatch(256);

    Selftest() {
        HostKernel.assumeBpf();
        object = BpfObject.openResource(Selftest.class, "aod_selftest.bpf.o");
        object.load();
        ring = RingBufferReader.open(object.map("events"));
        gate(EventLayout.SOURCE_SMB_WIRE, true);
        gate(EventLayout.SOURCE_NFS_RPC, true);
        for (int source = 0; source < EventLayout.SOURCES; source++) {
            for (int command = 0; command < EventLayout.CMD_SLOTS; command++) {
                threshold(source, command, EventLayout.NO_THRESHOLD);
            }
        }
    }

    void threshold(int source, int command, long ns) {
        object.map("thresholds").putLong(EventLayout.thresholdSlot(source, command), ns);
    }

    /** Opens or closes a source's gate (user space opens it once the programs ending its requests are attached). */
    void gate(int source, boolean open) {
        object.map("gates").putInt(source, open ? 1 : 0);
    }

    int run(String program, long... args) {
        return object.program(program).testRun(args);
    }

    List<Event> drain() {
        batch.clear();
        ring.drain(batch);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            events.add(batch.get(i));
        }
        return events;
    }

    long entries(String map) {
        return object.map(map).countEntries();
    }

    long drops(int probe, int reason) {
        return object.map("drops").sumPerCpuLong(EventLayout.dropSlot(probe, reason));
    }

    @Override
    public void close() {
        ring.close();
        object.close();
    }
}
