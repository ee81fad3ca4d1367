package dev.aod.agent.bundle;

import dev.aod.agent.capture.ActionResult;
import dev.aod.agent.capture.RecordedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * manifest.json: what a bundle holds and why it was made; the first file in every bundle.
 *
 * @param incomplete true for a bundle packed at restart from what a stopped agent had captured
 * @param files every other file of the bundle with its size and sha256
 * @param redactions how many credentials were removed from the files
 */
public record Manifest(
        String format,
        String bundle,
        Instant createdAt,
        boolean incomplete,
        String note,
        NodeInfo node,
        AnomalyInfo anomaly,
        List<RecordedEvent> events,
        List<ActionResult> actions,
        List<FileInfo> files,
        int redactions) {

    public static final String FORMAT = "aod.dev/bundle/v1";

    public record NodeInfo(String hostname, String kernel, String agentVersion) {}

    public record AnomalyInfo(
            String name,
            String policy,
            String kind,
            String protocol,
            String server,
            String share,
            String operation,
            String trigger,
            String summary,
            double thresholdMs,
            int minCount,
            double windowSec,
            Observed observed,
            Instant firstSeen,
            Instant lastSeen) {}

    public record Observed(int count, double maxLatencyMs, Map<String, Integer> breakdown) {}

    public record FileInfo(String path, long bytes, String sha256) {}
}
