package dev.aod.agent.report;

import dev.aod.agent.ship.OutboxStatus;
import dev.aod.agent.source.ProbeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the agent is doing, for /status, the logs and (in Kubernetes) the node status object.
 *
 * @param shipping the outbox's state; null when no upload target is configured
 */
public record AgentStatus(
        String node,
        String agentVersion,
        Instant startedAt,
        ConfigState config,
        List<ProbeStatus> probes,
        Map<String, Long> drops,
        CaptureState capture,
        Counts counts,
        Map<String, Long> stageRestarts,
        OutboxStatus shipping) {

    /**
     * @param rejected the errors of the newest configuration seen, when it was rejected and the
     *     previous one kept running; empty otherwise
     */
    public record ConfigState(String source, String format, long generation, Instant appliedAt, List<String> notices,
            List<String> rejected) {}

    public record CaptureState(boolean paused, String pausedReason, long freeBytes, List<String> ftraceSystems,
            boolean packetCapture, String lastBundle) {}

    public record Counts(long events, long anomalies, long repeats, long notCaptured, long bundles, long bundleFailures) {}
}
