package dev.aod.e2e.probes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One line of {@code aod-agent trace --json}: a probe event with its names resolved and its mount. */
record TraceEvent(
        String probe,
        String kind,
        String operation,
        int command,
        double latencyMs,
        long status,
        int errno,
        long sessionId,
        long requestId,
        long connId,
        long treeId,
        String dev,
        long aux,
        List<String> flags,
        String function,
        int tgid,
        int pid,
        String comm,
        String server,
        String share,
        String mountPoint) {

    static TraceEvent of(JsonNode j) {
        List<String> flags = new ArrayList<>();
        j.get("flags").forEach(f -> flags.add(f.asText()));
        JsonNode mount = j.get("mount");
        return new TraceEvent(j.get("probe").asText(), j.get("kind").asText(), j.get("operation").asText(),
                j.get("command").asInt(), j.get("latencyMs").asDouble(), j.get("status").asLong(), j.get("errno").asInt(),
                j.get("sessionId").asLong(), j.get("requestId").asLong(), j.get("connId").asLong(),
                j.get("treeId").asLong(), j.get("dev").asText(), j.get("aux").asLong(), List.copyOf(flags),
                j.has("function") ? j.get("function").asText() : null, j.get("tgid").asInt(), j.get("pid").asInt(),
                j.get("comm").asText(), mount.get("server").asText(), mount.get("share").asText(),
                mount.get("mountPoint").asText());
    }

    boolean is(String probe, String kind) {
        return this.probe.equals(probe) && this.kind.equals(kind);
    }

    @Override
    public String toString() {
        return String.format("%s %s %s %.1fms errno=%d status=0x%x req=%d conn=%d tid=0x%x dev=%s fn=%s flags=%s "
                        + "%s[%d] %s:%s %s", probe, kind, operation, latencyMs, errno, status, requestId, connId, treeId,
                dev, function, flags, comm, pid, server, share, mountPoint);
    }
}
