package dev.aod.config;

import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an AODv2 {@code config.yaml} unchanged into an {@link AgentConfig}. Stricter than AODv2:
 * values AODv2 silently accepts (an unknown mode, a string interval, a command in both lists) are
 * errors here, and keys AODv2 parses but never uses are accepted with a notice.
 */
final class Aodv2Reader {
    static final Set<String> ROOT_KEYS =
            ConfigNode.keys("watch_interval_sec", "aod_output_dir", "watcher", "guardian", "cleanup", "audit");
    private static final Set<String> ANOMALY_KEYS = ConfigNode.keys("type", "tool", "mode", "acceptable_count",
            "default_threshold_ms", "track_commands", "exclude_commands", "track_codes", "exclude_codes", "actions");
    private static final List<String> TYPES = List.of("Latency", "Error");
    private static final List<String> MODES = List.of("all", "trackonly", "excludeonly");

    /** AODv2's tools and what each watches. */
    private record Tool(String type, Protocol protocol, Layer layer) {}

    private static final Map<String, Tool> TOOLS = new LinkedHashMap<>();

    static {
        TOOLS.put("smbslower", new Tool("Latency", Protocol.SMB, Layer.WIRE));
        TOOLS.put("smbiosnoop", new Tool("Error", Protocol.SMB, Layer.WIRE));
        TOOLS.put("smbvfsslower", new Tool("Latency", Protocol.SMB, Layer.VFS));
        TOOLS.put("smbvfsiosnoop", new Tool("Error", Protocol.SMB, Layer.VFS));
        TOOLS.put("nfsslower", new Tool("Latency", Protocol.NFS, Layer.VFS));
    }

    private static final double DEFAULT_THRESHOLD_MS = 10;
    private static final double DEFAULT_MAX_AGE_DAYS = 2;
    private static final double DEFAULT_MAX_TOTAL_MB = 200;

    private Aodv2Reader() {}

    static Optional<AgentConfig> read(ConfigNode root, ConfigProblems problems) {
        root.allowOnly(ROOT_KEYS);
        Optional<Long> interval = root.get("watch_interval_sec").requiredInteger(1, 3600);
        Optional<Path> outputDir = NativeConfigReader.absolutePath(root.get("aod_output_dir"), true);

        ConfigNode watcher = root.get("watcher");
        if (watcher.requireMap()) {
            watcher.allowOnly(ConfigNode.keys("actions"));
            NativeConfigReader.actions(watcher.get("actions"));
            watcher.get("actions").notice("parsed by AODv2 but never used; ignored here too");
        }
        RetentionSettings retention = cleanup(root.get("cleanup"));
        ConfigNode audit = root.get("audit");
        if (audit.requireMap()) {
            audit.allowOnly(ConfigNode.keys("enabled"));
            audit.get("enabled").bool();
            audit.notice("parsed by AODv2 but never used; ignored here too");
        }

        Duration window = Duration.ofSeconds(interval.orElse(1L));
        List<AnomalySpec> anomalies = new ArrayList<>();
        ConfigNode guardian = root.get("guardian");
        if (guardian.requireMap()) {
            guardian.allowOnly(ConfigNode.keys("anomalies"));
            ConfigNode list = guardian.get("anomalies");
            for (Map.Entry<String, ConfigNode> e : list.entries()) {
                anomaly(e.getKey(), e.getValue(), window).ifPresent(anomalies::add);
            }
            if (!list.isPresent()) {
                list.notice("no anomalies configured: the agent watches nothing");
            }
        } else {
            guardian.notice("no anomalies configured: the agent watches nothing");
        }

        if (!problems.errors().isEmpty()) {
            return Optional.empty();
        }
        Path out = outputDir.orElseThrow();
        return Optional.of(new AgentConfig("", out, out.resolve("batches"), AgentConfig.DEFAULT_POLL_INTERVAL,
                anomalies, CaptureSettings.DEFAULTS, retention, Optional.empty(), MetricsSettings.DEFAULTS));
    }

    private static Optional<AnomalySpec> anomaly(String name, ConfigNode a, Duration window) {
        if (!a.requireMap()) {
            return Optional.empty();
        }
        a.allowOnly(ANOMALY_KEYS);
        ConfigNode typeNode = a.get("type");
        if (!typeNode.isPresent()) {
            typeNode.error("is required (Latency or Error)");
        }
        Optional<String> type = typeNode.oneOf(TYPES, true);
        Optional<String> toolName = a.get("tool").oneOf(List.copyOf(TOOLS.keySet()), false);
        String mode = a.get("mode").oneOf(MODES, false).orElse("all");
        Optional<Long> minCount = a.get("acceptable_count").requiredInteger(1, NativeConfigReader.MAX_MIN_COUNT);
        List<String> actions = actions(a.get("actions"));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        boolean latency = type.get().equals("Latency");
        Tool tool = TOOLS.get(toolName.orElse(latency ? "smbslower" : "smbiosnoop"));
        boolean toolFits = tool.type().equals(type.get());
        if (!toolFits) {
            a.get("tool").error("is not a tool for type " + type.get());
        }
        for (String key : latency ? List.of("track_codes", "exclude_codes")
                : List.of("default_threshold_ms", "track_commands", "exclude_commands")) {
            if (a.get(key).isPresent()) {
                a.get(key).error("applies only to type " + (latency ? "Error" : "Latency"));
            }
        }
        if (!toolFits) {
            return Optional.empty();
        }
        OperationTable table = OperationTable.of(tool.protocol(), tool.layer());
        String safeName = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        if (latency) {
            Map<String, Duration> thresholds = latencyThresholds(a, mode, table);
            if (thresholds.isEmpty() || minCount.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new LatencySpec(safeName, "", tool.protocol(), tool.layer(), thresholds,
                    minCount.get().intValue(), window, LatencySpec.DEFAULT_CEILING, NativeConfigReader.DEFAULT_COOLDOWN,
                    List.of(), actions));
        }
        Set<String> tracked = NativeConfigReader.codes(a.get("track_codes"));
        Set<String> excluded = NativeConfigReader.codes(a.get("exclude_codes"));
        return NativeConfigReader.errorCodes(a, mode, tracked, excluded, "track_codes", "exclude_codes")
                .filter(f -> minCount.isPresent())
                .map(f -> new ErrorSpec(safeName, "", tool.protocol(), tool.layer(), f.codes(), f.exclude(), Set.of(),
                        minCount.get().intValue(), window, NativeConfigReader.DEFAULT_COOLDOWN, List.of(), actions));
    }

    private static Map<String, Duration> latencyThresholds(ConfigNode a, String mode, OperationTable table) {
        Duration defaultThreshold = millis(a.get("default_threshold_ms").number(0, true, 3_600_000)
                .orElse(DEFAULT_THRESHOLD_MS));
        Map<String, Duration> tracked = new LinkedHashMap<>();
        for (ConfigNode item : a.get("track_commands").items()) {
            if (!item.requireMap()) {
                continue;
            }
            item.allowOnly(ConfigNode.keys("command", "threshold"));
            ConfigNode command = item.get("command");
            Optional<String> name = command.requiredString();
            Duration threshold = item.get("threshold").number(0, true, 3_600_000).map(Aodv2Reader::millis)
                    .orElse(defaultThreshold);
            if (name.isPresent() && NativeConfigReader.operation(command, name.get(), table)
                    && tracked.put(name.get(), threshold) != null) {
                command.error("is listed twice in track_commands");
            }
        }
        Set<String> excluded = new LinkedHashSet<>(NativeConfigReader.operations(a.get("exclude_commands"), table));
        return NativeConfigReader.applyMode(a, mode, table, defaultThreshold, tracked, excluded, "track_commands",
                "exclude_commands");
    }

    /** AODv2's action names; the ones AOD has under another name or not at all are explained. */
    private static List<String> actions(ConfigNode list) {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            Optional<String> name = item.string();
            if (name.isEmpty()) {
                continue;
            }
            if (!ActionNames.ALL.contains(name.get())) {
                item.error("is not an action" + ConfigNode.hint(name.get(), ActionNames.ALL)
                        + " (known: " + String.join(", ", ActionNames.ALL) + ")");
            } else if (out.contains(name.get())) {
                item.notice(name.get() + " is listed twice; run once");
            } else {
                out.add(name.get());
            }
        }
        return out;
    }

    private static RetentionSettings cleanup(ConfigNode cleanup) {
        RetentionSettings d = RetentionSettings.DEFAULTS;
        Duration interval = d.interval();
        double maxAgeDays = DEFAULT_MAX_AGE_DAYS;
        double maxTotalMb = DEFAULT_MAX_TOTAL_MB;
        if (cleanup.requireMap()) {
            cleanup.allowOnly(ConfigNode.keys("cleanup_interval_sec", "max_log_age_days", "max_total_log_size_mb"));
            interval = cleanup.get("cleanup_interval_sec").integer(1, 86_400).map(Duration::ofSeconds).orElse(interval);
            maxAgeDays = cleanup.get("max_log_age_days").number(0, false, 3650).orElse(maxAgeDays);
            maxTotalMb = cleanup.get("max_total_log_size_mb").number(0, false, 1e9).orElse(maxTotalMb);
        }
        return new RetentionSettings(interval, Duration.ofSeconds(Math.round(maxAgeDays * 86_400)),
                Math.round(maxTotalMb * (1 << 20)));
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }
}
