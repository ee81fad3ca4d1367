package dev.aod.bpf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A reusable batch of raw {@code struct aod_event} records read in place: filling and reading it
 * allocates nothing, so the drain and detect path runs without garbage.
 */
public final class EventBatch {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private final byte[] records;
    private final int capacity;
    private int size;

    public EventBatch(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.records = new byte[capacity * EventLayout.SIZE];
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == capacity;
    }

    public void clear() {
        size = 0;
    }

    void append(ByteBuffer source, int offset) {
        source.get(offset, records, size * EventLayout.SIZE, EventLayout.SIZE);
        size++;
    }

    /** Copies event {@code i}'s raw record (EventLayout.SIZE bytes) into {@code dst}: for rings of past events. */
    public void copyTo(int i, byte[] dst, int offset) {
        System.arraycopy(records, at(i), dst, offset, EventLayout.SIZE);
    }

    /** Copies {@code count} raw records starting at event {@code first} into {@code dst} in one block. */
    public void copyTo(int first, int count, byte[] dst, int offset) {
        if (count == 0) {
            return;
        }
        at(first + count - 1);
        System.arraycopy(records, at(first), dst, offset, count * EventLayout.SIZE);
    }

    /** Appends a raw record previously copied out with {@link #copyTo}. */
    public void append(byte[] src, int offset) {
        if (isFull()) {
            throw new IllegalStateException("batch is full (" + capacity + ")");
        }
        System.arraycopy(src, offset, records, size * EventLayout.SIZE, EventLayout.SIZE);
        size++;
    }

    public long tsNs(int i) { return (long) LONG.get(records, at(i) + EventLayout.TS_NS); }
    public long latencyNs(int i) { return (long) LONG.get(records, at(i) + EventLayout.LATENCY_NS); }
    public long sessionId(int i) { return (long) LONG.get(records, at(i) + EventLayout.SESSION_ID); }
    public long requestId(int i) { return (long) LONG.get(records, at(i) + EventLayout.REQUEST_ID); }
    public long connId(int i) { return (long) LONG.get(records, at(i) + EventLayout.CONN_ID); }
    public long cgroupId(int i) { return (long) LONG.get(records, at(i) + EventLayout.CGROUP_ID); }
    public int tgid(int i) { return (int) INT.get(records, at(i) + EventLayout.TGID); }
    public int pid(int i) { return (int) INT.get(records, at(i) + EventLayout.PID); }
    public int status(int i) { return (int) INT.get(records, at(i) + EventLayout.STATUS); }
    public int error(int i) { return (int) INT.get(records, at(i) + EventLayout.ERROR); }
    public int treeId(int i) { return (int) INT.get(records, at(i) + EventLayout.TREE_ID); }
    public int dev(int i) { return (int) INT.get(records, at(i) + EventLayout.DEV); }
    public int aux(int i) { return (int) INT.get(records, at(i) + EventLayout.AUX); }
    public int flags(int i) { return Short.toUnsignedInt((short) SHORT.get(records, at(i) + EventLayout.FLAGS)); }
    public int command(int i) { return Short.toUnsignedInt((short) SHORT.get(records, at(i) + EventLayout.COMMAND)); }
    public int source(int i) { return Byte.toUnsignedInt(records[at(i) + EventLayout.SOURCE]); }
    public int kind(int i) { return Byte.toUnsignedInt(records[at(i) + EventLayout.KIND]); }

    /** The task name; allocates, so only for reports. */
    public String comm(int i) {
        int base = at(i) + EventLayout.COMM;
        int len = 0;
        while (len < EventLayout.COMM_LEN && records[base + len] != 0) {
            len++;
        }
        return new String(records, base, len, StandardCharsets.UTF_8);
    }

    public Event get(int i) {
        return new Event(tsNs(i), latencyNs(i), sessionId(i), requestId(i), connId(i), cgroupId(i), tgid(i), pid(i),
                status(i), error(i), treeId(i), dev(i), aux(i), flags(i), command(i), source(i), kind(i), comm(i));
    }

    /** Appends an event as the kernel would have written it: for synthetic sources and tests. */
    public void add(Event e) {
        if (isFull()) {
            throw new IllegalStateException("batch is full (" + capacity + ")");
        }
        int base = size * EventLayout.SIZE;
        java.util.Arrays.fill(records, base, base + EventLayout.SIZE, (byte) 0);
        LONG.set(records, base + EventLayout.TS_NS, e.tsNs());
        LONG.set(records, base + EventLayout.LATENCY_NS, e.latencyNs());
        LONG.set(records, base + EventLayout.SESSION_ID, e.sessionId());
        LONG.set(records, base + EventLayout.REQUEST_ID, e.requestId());
        LONG.set(records, base + EventLayout.CONN_ID, e.connId());
        LONG.set(records, base + EventLayout.CGROUP_ID, e.cgroupId());
        INT.set(records, base + EventLayout.TGID, e.tgid());
        INT.set(records, base + EventLayout.PID, e.pid());
        INT.set(records, base + EventLayout.STATUS, e.status());
        INT.set(records, base + EventLayout.ERROR, e.error());
        INT.set(records, base + EventLayout.TREE_ID, e.treeId());
        INT.set(records, base + EventLayout.DEV, e.dev());
        INT.set(records, base + EventLayout.AUX, e.aux());
        SHORT.set(records, base + EventLayout.FLAGS, (short) e.flags());
        SHORT.set(records, base + EventLayout.COMMAND, (short) e.command());
        records[base + EventLayout.SOURCE] = (byte) e.source();
        records[base + EventLayout.KIND] = (byte) e.kind();
        byte[] comm = e.comm().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(comm, 0, records, base + EventLayout.COMM, Math.min(comm.length, EventLayout.COMM_LEN - 1));
        size++;
    }

    private int at(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " of " + size);
        }
        return i * EventLayout.SIZE;
    }
}
