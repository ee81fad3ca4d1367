package dev.aod.agent.detect;

import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import java.util.ArrayList;
import java.util.List;

/** The last few counted events of one mount as raw records: adding costs a copy, not an allocation. */
final class RecentEvents {
    private final byte[] ring;
    private final int capacity;
    private int next;
    private int size;

    RecentEvents(int capacity) {
        this.capacity = capacity;
        this.ring = new byte[capacity * EventLayout.SIZE];
    }

    void add(EventBatch batch, int i) {
        batch.copyTo(i, ring, next * EventLayout.SIZE);
        next = (next + 1) % capacity;
        if (size < capacity) {
            size++;
        }
    }

    /** The events, oldest first; allocates, so only when an anomaly fires. */
    List<Event> toList() {
        List<Event> out = new ArrayList<>(size);
        EventBatch one = new EventBatch(1);
        int first = (next - size + capacity) % capacity;
        for (int k = 0; k < size; k++) {
            one.clear();
            one.append(ring, ((first + k) % capacity) * EventLayout.SIZE);
            out.add(one.get(0));
        }
        return out;
    }

    void clear() {
        size = 0;
        next = 0;
    }
}
