package dev.aod.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Connection-level trouble the probes report, by protocol. */
public enum SessionEvent {
    /** cifs reconnected a session (smb3_reconnect) */
    RECONNECT(Protocol.SMB),
    /** a request waited too long for credits (smb3_credit_timeout) */
    CREDIT_TIMEOUT(Protocol.SMB),
    /** the server granted no credits when the client needed them (smb3_insufficient_credits) */
    INSUFFICIENT_CREDITS(Protocol.SMB),
    /** cifs's own slow-response report, over its slow_rsp_threshold (smb3_slow_rsp) */
    SLOW_RESPONSE(Protocol.SMB),
    /** an RPC was retransmitted (xprt_retransmit) */
    RETRANSMIT(Protocol.NFS),
    /** an RPC timed out (rpc_timeout_status) */
    RPC_TIMEOUT(Protocol.NFS);

    private final Protocol protocol;

    SessionEvent(Protocol protocol) {
        this.protocol = protocol;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The YAML spelling: {@code reconnect}, {@code credit_timeout}, … */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SessionEvent> ofKey(String key) {
        return Arrays.stream(values()).filter(e -> e.key().equals(key)).findFirst();
    }

    public static List<SessionEvent> of(Protocol protocol) {
        return Arrays.stream(values()).filter(e -> e.protocol == protocol).toList();
    }
}
