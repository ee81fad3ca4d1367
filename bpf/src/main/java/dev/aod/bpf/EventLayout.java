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
    public static final int CONN_ID = 32;
    public static final int CGROUP_ID = 40;
    public static final int TGID = 48;
    public static final int PID = 52;
    public static final int STATUS = 56;
    public static final int ERROR = 60;
    public static final int TREE_ID = 64;
    public static final int DEV = 68;
    public static final int AUX = 72;
    public static final int FLAGS = 76;
    public static final int COMMAND = 78;
    public static final int SOURCE = 80;
    public static final int KIND = 81;
    public static final int RESERVED = 82;
    public static final int RESERVED2 = 84;
    public static final int COMM = 88;
    public static final int COMM_LEN = 16;
    public static final int SIZE = 104;

    public record Field(String name, int offset, int size) {}

    public static final List<Field> FIELDS = List.of(
            new Field("ts_ns", TS_NS, 8),
            new Field("latency_ns", LATENCY_NS, 8),
            new Field("session_id", SESSION_ID, 8),
            new Field("request_id", REQUEST_ID, 8),
            new Field("conn_id", CONN_ID, 8),
            new Field("cgroup_id", CGROUP_ID, 8),
            new Field("tgid", TGID, 4),
            new Field("pid", PID, 4),
            new Field("status", STATUS, 4),
            new Field("error", ERROR, 4),
            new Field("tree_id", TREE_ID, 4),
            new Field("dev", DEV, 4),
            new Field("aux", AUX, 4),
            new Field("flags", FLAGS, 2),
            new Field("command", COMMAND, 2),
            new Field("source", SOURCE, 1),
            new Field("kind", KIND, 1),
            new Field("reserved", RESERVED, 2),
            new Field("reserved2", RESERVED2, 4),
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
    public static final int KIND_HUNG = 3;
    public static final int KIND_SESSION = 4;

    /** flags */
    public static final int FLAG_ASYNC = 1;
    public static final int FLAG_COMPOUND = 2;

    /** enum aod_probe: drop counters are per probe; the four sources are probes 1-4. */
    public static final int PROBE_SMB_WIRE = 1;
    public static final int PROBE_SMB_VFS = 2;
    public static final int PROBE_NFS_RPC = 3;
    public static final int PROBE_NFS_VFS = 4;
    public static final int PROBE_SMB_SESSION = 5;
    public static final int PROBE_NFS_SESSION = 6;
    public static final int PROBE_SMB_MID = 7;
    public static final int PROBES = 8;

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

    /** The slot of a probe's drop counter ({@code PROBE_*}, {@code DROP_*}). */
    public static int dropSlot(int probe, int reason) {
        return probe * DROP_REASONS + reason;
    }
}
