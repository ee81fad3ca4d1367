package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Connection-level trouble; the first four are SMB's, the last two NFS's. */
public enum SessionEventType {
    @JsonProperty("Reconnect")
    RECONNECT(Protocol.SMB),
    @JsonProperty("CreditTimeout")
    CREDIT_TIMEOUT(Protocol.SMB),
    @JsonProperty("InsufficientCredits")
    INSUFFICIENT_CREDITS(Protocol.SMB),
    @JsonProperty("SlowResponse")
    SLOW_RESPONSE(Protocol.SMB),
    @JsonProperty("Retransmit")
    RETRANSMIT(Protocol.NFS),
    @JsonProperty("RpcTimeout")
    RPC_TIMEOUT(Protocol.NFS);

    private final Protocol protocol;

    SessionEventType(Protocol protocol) {
        this.protocol = protocol;
    }

    public Protocol protocol() {
        return protocol;
    }
}
