package dev.aod.agent.bundle;

import dev.aod.agent.capture.ActionResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** manifest.json: what a bundle holds and why it was made; the first file in every bundle. */
public record Manifest(
        String format,
        String bundle,
        Instant createdAt,
        NodeInfo node,
        AnomalyInfo anomaly,
        List<EventInfo> events,
        List<ActionResult> actions) {

    public static final String FORMAT = "aod.dev/bundle/v1";

    public record NodeInfo(String hostname, String kernel, String agentVersion) {}

    public record AnomalyInfo(
            String name,
            String kind,
            String protocol,
            String command,
            String trigger,
            double thresholdMs,
            int minCount,
            double windowSec,
            double ceilingMs,
            Observed observed,
            Instant firstSeen,
            Instant lastSeen) {}

    public record Observed(int count, double maxLatencyMs, Map<String, Integer> commands) {}

    public record EventInfo(
            Instant time,
            String command,
            double latencyMs,
            String kind,
            String status,
            String error,
            String sessionId,
            long messageId,
            long treeId,
            int tgid,
            int pid,
            String comm,
            long cgroupId) {}
}
