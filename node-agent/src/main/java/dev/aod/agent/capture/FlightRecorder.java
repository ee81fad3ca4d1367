package dev.aod.agent.capture;

import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's own black box: the last probe events that crossed to user space, kept as raw records
 * in a fixed ring (no allocation while recording), so a bundle can show what led up to its trigger.
 */
public final class FlightRecorder {
    public static final int DEFAULT_CAPACITY = 32_768;

    private final byte[] ring;
    private final int capacity;
    private int next;
    private int size;

    public FlightRecorder(int capacity) {
        this.capacity = capacity;
        this.ring = new byte[capacity * EventLayout.SIZE];
    }

    public synchronized void record(EventBatch batch) {
        int i = 0;
        int n = batch.size();
        while (i < n) {
            int chunk = Math.min(n - i, capacity - next);
            batch.copyTo(i, chunk, ring, next * EventLayout.SIZE);
            i += chunk;
            next = (next + chunk) % capacity;
            size = Math.min(capacity, size + chunk);
        }
    }

    /** The recorded events with {@code fromNs <= ts <= toNs}, oldest first. */
    public synchronized List<Event> between(long fromNs, long toNs) {
        List<Event> out = new ArrayList<>();
        EventBatch one = new EventBatch(1);
        int first = (next - size + capacity) % capacity;
        for (int k = 0; k < size; k++) {
            one.clear();
            one.append(ring, ((first + k) % capacity) * EventLayout.SIZE);
            long ts = one.tsNs(0);
            if (ts >= fromNs && ts <= toNs) {
                out.add(one.get(0));
            }
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }
}
