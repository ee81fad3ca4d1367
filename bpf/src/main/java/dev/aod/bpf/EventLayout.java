package dev.aod.bpf;

import java.util.List;

/**
 * Byte layout of {@code struct aod_event} (bpf/src/main/bpf/aod_event.h), in the kernel's byte
 * order. EventLayoutTest checks every entry against the BTF of the compiled object.
 */
public final class EventLayout {
    public static final int TS_NS = 0;
    public static final int LATENCY_NS = 8;
    public static final int SESSION_ID = 16;
    public static final int REQUEST_ID = 24;
    public static final int CGROUP_ID = 32;
    public static final int TGID = 40;
    public static final int PID = 44;
    public static final int STATUS = 48;
    public static final int ERROR = 52;
    public static final int TREE_ID = 56;
    public static final int FLAGS = 60;
    public static final int COMMAND = 64;
    public static final int SOURCE = 66;
    public static final int KIND = 67;
    public static final int RESERVED = 68;
    public static final int COMM = 72;
    public static final int COMM_LEN = 16;
    public static final int SIZE = 88;

    public record Field(String name, int offset, int size) {}

    public static final List<Field> FIELDS = List.of(
            new Field("ts_ns", TS_NS, 8),
            new Field("latency_ns", LATENCY_NS, 8),
            new Field("session_id", SESSION_ID, 8),
            new Field("request_id", REQUEST_ID, 8),
            new Field("cgroup_id", CGROUP_ID, 8),
            new Field("tgid", TGID, 4),
            new Field("pid", PID, 4),
            new Field("status", STATUS, 4),
            new Field("error", ERROR, 4),
            new Field("tree_id", TREE_ID, 4),
            new Field("flags", FLAGS, 4),
            new Field("command", COMMAND, 2),
            new Field("source", SOURCE, 1),
            new Field("kind", KIND, 1),
            new Field("reserved", RESERVED, 4),
            new Field("comm", COMM, COMM_LEN));

    /** enum aod_source */
    public static final int SOURCE_SELFTEST = 0;
    public static final int SOURCE_SMB_WIRE = 1;
    public static final int SOURCE_SMB_VFS = 2;
    public static final int SOURCE_NFS_RPC = 3;
    public static final int SOURCE_NFS_VFS = 4;
    public static final int SOURCES = 8;

    /** enum aod_kind */
    public static final int KIND_SLOW = 1;
    public static final int KIND_ERROR = 2;

    /** enum aod_drop_reason */
    public static final int DROP_RINGBUF_FULL = 0;
    public static final int DROP_INFLIGHT_FULL = 1;
    public static final int DROP_REASONS = 2;

    /** Threshold map: slot = source * CMD_SLOTS + command; NO_THRESHOLD = not tracked. */
    public static final int CMD_SLOTS = 256;
    public static final long NO_THRESHOLD = -1L;

    private EventLayout() {}

    public static int thresholdSlot(int source, int command) {
        return source * CMD_SLOTS + Math.min(command, CMD_SLOTS - 1);
    }

    public static int dropSlot(int source, int reason) {
        return source * DROP_REASONS + reason;
    }
}
