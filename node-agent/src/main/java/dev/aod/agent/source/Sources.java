package dev.aod.agent.source;

import dev.aod.bpf.EventLayout;
import dev.aod.bpf.VfsFunctions;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SessionEvent;

/** Which probe (the event's {@code source}) reports a protocol at a layer, and the names of its codes. */
public final class Sources {
    private static final String[] NAMES = {"selftest", "smb-wire", "smb-vfs", "nfs-rpc", "nfs-vfs"};
    private static volatile VfsFunctions smbVfs;
    private static volatile VfsFunctions nfsVfs;

    private Sources() {}

    public static int of(Protocol protocol, Layer layer) {
        if (protocol == Protocol.SMB) {
            return layer == Layer.WIRE ? EventLayout.SOURCE_SMB_WIRE : EventLayout.SOURCE_SMB_VFS;
        }
        return layer == Layer.WIRE ? EventLayout.SOURCE_NFS_RPC : EventLayout.SOURCE_NFS_VFS;
    }

    /** {@code smb-wire}, {@code smb-vfs}, {@code nfs-rpc}, {@code nfs-vfs}. */
    public static String name(int source) {
        return source >= 0 && source < NAMES.length ? NAMES[source] : "source" + source;
    }

    public static Protocol protocol(int source) {
        return source == EventLayout.SOURCE_NFS_RPC || source == EventLayout.SOURCE_NFS_VFS ? Protocol.NFS : Protocol.SMB;
    }

    /** The configured name of an event's operation, e.g. SMB2_WRITE, READ (NFS), fsync. */
    public static String operationName(int source, int command) {
        return switch (source) {
            case EventLayout.SOURCE_SMB_WIRE -> OperationTable.of(Protocol.SMB, Layer.WIRE).nameOf(command);
            case EventLayout.SOURCE_NFS_RPC -> OperationTable.of(Protocol.NFS, Layer.WIRE).nameOf(command);
            case EventLayout.SOURCE_SMB_VFS, EventLayout.SOURCE_NFS_VFS -> OperationTable.of(Protocol.SMB, Layer.VFS).nameOf(command);
            default -> "op" + command;
        };
    }

    /** What an event is about: its operation, or for a SESSION event the session event's key. */
    public static String subjectName(int source, int kind, int command) {
        if (kind == EventLayout.KIND_SESSION) {
            return command < SessionEvent.values().length ? SessionEvent.values()[command].key() : "event" + command;
        }
        return operationName(source, command);
    }

    /** The kernel function a VFS event was measured in (its {@code aux}), or null for other sources. */
    public static String functionName(int source, int aux) {
        VfsFunctions functions;
        if (source == EventLayout.SOURCE_SMB_VFS) {
            functions = smbVfs == null ? (smbVfs = VfsFunctions.of("smb_vfs")) : smbVfs;
        } else if (source == EventLayout.SOURCE_NFS_VFS) {
            functions = nfsVfs == null ? (nfsVfs = VfsFunctions.of("nfs_vfs")) : nfsVfs;
        } else {
            return null;
        }
        VfsFunctions.Function f = functions.byId(aux);
        return f == null ? "function" + aux : f.name();
    }
}
