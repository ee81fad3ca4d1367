package dev.aod.agent.source;

import dev.aod.bpf.EventLayout;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;

/** Which probe (the event's {@code source}) reports a protocol at a layer. */
public final class Sources {
    private Sources() {}

    public static int of(Protocol protocol, Layer layer) {
        if (protocol == Protocol.SMB) {
            return layer == Layer.WIRE ? EventLayout.SOURCE_SMB_WIRE : EventLayout.SOURCE_SMB_VFS;
        }
        return layer == Layer.WIRE ? EventLayout.SOURCE_NFS_RPC : EventLayout.SOURCE_NFS_VFS;
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
}
