package dev.aod.protocol;

/** Where a latency or error is measured: on the wire (SMB2 commands, RPC procedures) or at the VFS. */
public enum Layer {
    WIRE,
    VFS
}
