package dev.aod.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything the agent runs with, whichever file format it came from. */
public record AgentConfig(Path outputDir, Duration watchInterval, List<LatencyAnomaly> latencyAnomalies) {

    public AgentConfig {
        latencyAnomalies = List.copyOf(latencyAnomalies);
    }

    /** Where finished bundles go (AODv2 layout: {@code <aod_output_dir>/batches}). */
    public Path bundleDir() {
        return outputDir.resolve("batches");
    }
}
