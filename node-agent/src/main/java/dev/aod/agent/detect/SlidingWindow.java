package dev.aod.agent.detect;

/**
 * Whether {@code count} events happened within {@code window}: keeps the last {@code count}
 * timestamps in a ring, so the test is one comparison and costs no allocation.
 */
final class SlidingWindow {
    private final long[] times;
    private final long windowNs;
    private int next;
    private long seen;

    SlidingWindow(int count, long windowNs) {
        this.times = new long[count];
        this.windowNs = windowNs;
    }

    /** Records an event at {@code tsNs}; true when it makes {@code count} events within the window. */
    boolean add(long tsNs) {
        times[next] = tsNs;
        next = (next + 1) % times.length;
        seen++;
        return seen >= times.length && tsNs - times[next] <= windowNs;
    }

    /** How many of the recorded events lie within the window ending at {@code tsNs}. */
    int countWithin(long tsNs) {
        int n = 0;
        int stored = (int) Math.min(seen, times.length);
        for (int i = 0; i < stored; i++) {
            if (tsNs - times[i] <= windowNs && times[i] <= tsNs) {
                n++;
            }
        }
        return n;
    }

    void clear() {
        seen = 0;
        next = 0;
    }
}
