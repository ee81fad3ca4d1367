package dev.aod.agent.detect;

/**
 * Whether {@code count} events happened within {@code window}: keeps the last {@code count}
 * timestamps (and each event's operation) in a ring, so the test is one comparison and costs no
 * allocation.
 */
final class SlidingWindow {
    private final long[] times;
    private final int[] operations;
    private final long windowNs;
    private int next;
    private long seen;

    SlidingWindow(int count, long windowNs) {
        this.times = new long[count];
        this.operations = new int[count];
        this.windowNs = windowNs;
    }

    /** Records an event at {@code tsNs}; true when it makes {@code count} events within the window. */
    boolean add(long tsNs, int operation) {
        times[next] = tsNs;
        operations[next] = operation;
        next = (next + 1) % times.length;
        seen++;
        return seen >= times.length && tsNs - times[next] <= windowNs;
    }

    /** The operation most of the recorded events had (the latest wins a tie); {@code scratch} is reused. */
    int dominantOperation(int[] scratch) {
        int stored = (int) Math.min(seen, times.length);
        int best = -1;
        int bestCount = 0;
        for (int k = 1; k <= stored; k++) {
            int op = operations[(next - k + times.length) % times.length];
            if (op < 0 || op >= scratch.length) {
                continue;
            }
            int c = ++scratch[op];
            if (c > bestCount) {
                best = op;
                bestCount = c;
            }
        }
        for (int k = 1; k <= stored; k++) {
            int op = operations[(next - k + times.length) % times.length];
            if (op >= 0 && op < scratch.length) {
                scratch[op] = 0;
            }
        }
        return best;
    }

    void clear() {
        seen = 0;
        next = 0;
    }
}
