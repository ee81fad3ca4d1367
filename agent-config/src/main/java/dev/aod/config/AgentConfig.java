package dev.aod.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a node agent runs with: the file a standalone admin writes and the ConfigMap the
 * operator renders are this model in YAML ({@link ConfigWriter}, {@link ConfigLoader}).
 *
 * @param node the node's name; empty means the host name
 * @param bundleDir where finished bundles are kept until retention removes them
 * @param pollInterval how often the kernel ring buffer is drained
 * @param upload where bundles are shipped; empty keeps them in {@code bundleDir} only
 */
public record AgentConfig(
        String node,
        Path outputDir,
        Path bundleDir,
        Duration pollInterval,
        List<AnomalySpec> anomalies,
        CaptureSettings capture,
        RetentionSettings retention,
        Optional<UploadTarget> upload,
        MetricsSettings metrics) {

    public static final String API_VERSION = "aod.dev/v1alpha1";
    public static final String KIND = "AgentConfig";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

    public AgentConfig {
        node = node == null ? "" : node;
        anomalies = List.copyOf(anomalies);
    }

    public <T extends AnomalySpec> List<T> anomalies(Class<T> type) {
        return anomalies.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Staging area for bundles being made; on the same file system as {@code bundleDir}. */
    public Path stagingDir() {
        return outputDir.resolve(".staging");
    }
}
