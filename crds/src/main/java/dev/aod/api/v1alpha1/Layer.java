package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where latency and errors are measured: on the wire (SMB2 commands, RPC procedures) or at the VFS. */
public enum Layer {
    @JsonProperty("Wire")
    WIRE,
    @JsonProperty("VFS")
    VFS
}
