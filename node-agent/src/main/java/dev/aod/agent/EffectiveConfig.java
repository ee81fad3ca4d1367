package dev.aod.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.aod.agent.config.AgentConfig;
import dev.aod.agent.config.LatencyAnomaly;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The settings the agent actually runs with, printed by check-config. */
final class EffectiveConfig {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());

    private EffectiveConfig() {}

    static String toYaml(AgentConfig c) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("output_dir", c.outputDir().toString());
        root.put("bundle_dir", c.bundleDir().toString());
        root.put("watch_interval_sec", seconds(c.watchInterval()));
        root.put("latency_anomalies", c.latencyAnomalies().stream().map(EffectiveConfig::latency).toList());
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> latency(LatencyAnomaly a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("protocol", "SMB");
        m.put("probe", "smb-wire");
        m.put("min_count", a.minCount());
        m.put("window_sec", seconds(a.window()));
        m.put("ceiling_ms", millis(a.ceiling()));
        m.put("cooldown_sec", seconds(a.cooldown()));
        Map<String, Object> thresholds = new LinkedHashMap<>();
        a.thresholds().forEach((command, t) -> thresholds.put(command.name(), millis(t)));
        m.put("thresholds_ms", thresholds);
        m.put("actions", List.copyOf(a.actions()));
        return m;
    }

    private static Number millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return ms == Math.rint(ms) ? (Number) (long) ms : (Number) ms;
    }

    private static Number seconds(Duration d) {
        double s = d.toNanos() / 1e9;
        return s == Math.rint(s) ? (Number) (long) s : (Number) s;
    }
}
