package dev.aod.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte layout of the requests in flight that user space scans for hung ones: {@code struct
 * smb_req_key}/{@code struct smb_req} (smb_wire.bpf.h) and the task address/{@code struct nfs_req}
 * (nfs_rpc.bpf.h). InflightLayoutTest checks it against the BTF of aod.bpf.o.
 */
public final class InflightLayout {
    /** struct aod_issuer, embedded in both values */
    public static final int ISSUER_CGROUP_ID = 0;
    public static final int ISSUER_TGID = 8;
    public static final int ISSUER_PID = 12;
    public static final int ISSUER_COMM = 16;
    public static final int ISSUER_SIZE = 32;

    /** struct smb_req_key */
    public static final int SMB_KEY_SESSION_ID = 0;
    public static final int SMB_KEY_MID = 8;
    public static final int SMB_KEY_SIZE = 16;

    /** struct smb_req */
    public static final int SMB_START_NS = 0;
    public static final int SMB_CONN_ID = 8;
    public static final int SMB_WHO = 16;
    public static final int SMB_TREE_ID = 48;
    public static final int SMB_COMMAND = 52;
    public static final int SMB_FLAGS = 54;
    public static final int SMB_SIZE = 56;

    /** struct nfs_req (key: the task's address, u64) */
    public static final int NFS_START_NS = 0;
    public static final int NFS_WHO = 8;
    public static final int NFS_CLID = 40;
    public static final int NFS_XID = 44;
    public static final int NFS_COMMAND = 48;
    public static final int NFS_DEV = 52;
    public static final int NFS_SIZE = 56;

    private InflightLayout() {}

    static ByteBuffer view(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    /** Fills the issuer fields of {@code event} from the {@code struct aod_issuer} at {@code offset}. */
    static Event.Builder issuer(Event.Builder event, byte[] value, int offset) {
        ByteBuffer v = view(value);
        int len = 0;
        while (len < EventLayout.COMM_LEN && value[offset + ISSUER_COMM + len] != 0) {
            len++;
        }
        return event.cgroupId(v.getLong(offset + ISSUER_CGROUP_ID))
                .tgid(v.getInt(offset + ISSUER_TGID))
                .pid(v.getInt(offset + ISSUER_PID))
                .comm(new String(value, offset + ISSUER_COMM, len, StandardCharsets.UTF_8));
    }

    /** An SMB request found in flight, as a HUNG event of age {@code ageNs} found at {@code nowNs}. */
    public static Event smbHung(byte[] key, byte[] value, long nowNs) {
        ByteBuffer k = view(key);
        ByteBuffer v = view(value);
        Event.Builder e = Event.builder()
                .tsNs(nowNs)
                .latencyNs(nowNs - v.getLong(SMB_START_NS))
                .sessionId(k.getLong(SMB_KEY_SESSION_ID))
                .requestId(k.getLong(SMB_KEY_MID))
                .connId(v.getLong(SMB_CONN_ID))
                .treeId(v.getInt(SMB_TREE_ID))
                .command(Short.toUnsignedInt(v.getShort(SMB_COMMAND)))
                .flags(Short.toUnsignedInt(v.getShort(SMB_FLAGS)))
                .source(EventLayout.SOURCE_SMB_WIRE)
                .kind(EventLayout.KIND_HUNG);
        return issuer(e, value, SMB_WHO).build();
    }

    /** An NFS RPC task found in flight, as a HUNG event. */
    public static Event nfsHung(byte[] value, long nowNs) {
        ByteBuffer v = view(value);
        Event.Builder e = Event.builder()
                .tsNs(nowNs)
                .latencyNs(nowNs - v.getLong(NFS_START_NS))
                .requestId(Integer.toUnsignedLong(v.getInt(NFS_XID)))
                .connId(Integer.toUnsignedLong(v.getInt(NFS_CLID)))
                .command(Short.toUnsignedInt(v.getShort(NFS_COMMAND)))
                .dev(v.getInt(NFS_DEV))
                .source(EventLayout.SOURCE_NFS_RPC)
                .kind(EventLayout.KIND_HUNG);
        return issuer(e, value, NFS_WHO).build();
    }

    /** When the request started (CLOCK_MONOTONIC ns), from either value. */
    public static long startNs(byte[] value) {
        return view(value).getLong(0);
    }

    /** The session id of an SMB request's key. */
    public static long smbSessionId(byte[] key) {
        return view(key).getLong(SMB_KEY_SESSION_ID);
    }

    /** The command of either value. */
    public static int command(byte[] value, boolean smb) {
        return Short.toUnsignedInt(view(value).getShort(smb ? SMB_COMMAND : NFS_COMMAND));
    }
}
