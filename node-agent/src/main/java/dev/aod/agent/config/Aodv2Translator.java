package dev.aod.agent.config;

import dev.aod.agent.capture.ActionCatalog;
import dev.aod.agent.protocol.Errno;
import dev.aod.agent.protocol.SmbCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
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
final class Aodv2Translator {
    static final Set<String> ROOT_KEYS =
            ConfigNode.keys("watch_interval_sec", "aod_output_dir", "watcher", "guardian", "cleanup", "audit");
    private static final Set<String> ANOMALY_KEYS = ConfigNode.keys("type", "tool", "mode", "acceptable_count",
            "default_threshold_ms", "track_commands", "exclude_commands", "track_codes", "exclude_codes", "actions");
    private static final List<String> TYPES = List.of("Latency", "Error");
    private static final List<String> MODES = List.of("all", "trackonly", "excludeonly");
    private static final List<String> TOOLS =
            List.of("smbslower", "smbiosnoop", "smbvfsslower", "smbvfsiosnoop", "nfsslower");
    private static final Set<String> LATENCY_TOOLS = Set.of("smbslower", "smbvfsslower", "nfsslower");
    private static final List<String> COMMAND_NAMES =
            Arrays.stream(SmbCommand.values()).map(Enum::name).toList();

    static final Duration DEFAULT_CEILING = Duration.ofSeconds(1);
    static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
    private static final double DEFAULT_THRESHOLD_MS = 10;

    private Aodv2Translator() {}

    static Optional<AgentConfig> translate(ConfigNode root, ConfigProblems problems) {
        root.allowOnly(ROOT_KEYS);
        Optional<Long> interval = root.get("watch_interval_sec").requiredInteger(1, 3600);
        Optional<Path> outputDir = root.get("aod_output_dir").requiredString().flatMap(s -> absolutePath(root.get("aod_output_dir"), s));

        ConfigNode watcher = root.get("watcher");
        if (watcher.requireMap()) {
            watcher.allowOnly(ConfigNode.keys("actions"));
            actions(watcher.get("actions"));
            watcher.get("actions").notice("parsed by AODv2 but never used; ignored here too");
        }
        cleanup(root.get("cleanup"));
        ConfigNode audit = root.get("audit");
        if (audit.requireMap()) {
            audit.allowOnly(ConfigNode.keys("enabled"));
            audit.get("enabled").bool();
            audit.notice("parsed by AODv2 but never used; ignored here too");
        }

        Duration window = Duration.ofSeconds(interval.orElse(1L));
        List<LatencyAnomaly> latency = new ArrayList<>();
        ConfigNode guardian = root.get("guardian");
        if (guardian.requireMap()) {
            guardian.allowOnly(ConfigNode.keys("anomalies"));
            ConfigNode anomalies = guardian.get("anomalies");
            for (Map.Entry<String, ConfigNode> e : anomalies.entries()) {
                anomaly(e.getKey(), e.getValue(), window).ifPresent(latency::add);
            }
            if (!anomalies.isPresent()) {
                anomalies.notice("no anomalies configured: the agent watches nothing");
            }
        } else {
            guardian.notice("no anomalies configured: the agent watches nothing");
        }

        if (!problems.errors().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AgentConfig(outputDir.orElseThrow(), window, latency));
    }

    private static Optional<LatencyAnomaly> anomaly(String name, ConfigNode a, Duration window) {
        if (!a.requireMap()) {
            return Optional.empty();
        }
        a.allowOnly(ANOMALY_KEYS);
        ConfigNode typeNode = a.get("type");
        if (!typeNode.isPresent()) {
            typeNode.error("is required (Latency or Error)");
        }
        Optional<String> type = typeNode.oneOf(TYPES, true);
        Optional<String> tool = a.get("tool").oneOf(TOOLS, false);
        String mode = a.get("mode").oneOf(MODES, false).orElse("all");
        Optional<Long> minCount = a.get("acceptable_count").requiredInteger(1, 1_000_000);
        List<String> actions = actions(a.get("actions"));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        boolean isLatency = type.get().equals("Latency");
        if (tool.isPresent() && isLatency != LATENCY_TOOLS.contains(tool.get())) {
            a.get("tool").error("is not a tool for type " + type.get());
        }
        for (String key : isLatency ? List.of("track_codes", "exclude_codes")
                : List.of("default_threshold_ms", "track_commands", "exclude_commands")) {
            if (a.get(key).isPresent()) {
                a.get(key).error("applies only to type " + (isLatency ? "Error" : "Latency"));
            }
        }
        if (!isLatency) {
            errorCodes(a, mode);
            a.notice("Error anomalies are not implemented yet; this anomaly is validated but not watched");
            return Optional.empty();
        }
        Map<SmbCommand, Duration> thresholds = latencyThresholds(a, mode);
        String effectiveTool = tool.orElse("smbslower");
        if (!effectiveTool.equals("smbslower")) {
            a.get("tool").notice(effectiveTool + " is not implemented yet; this anomaly is validated but not watched");
            return Optional.empty();
        }
        if (thresholds.isEmpty() || minCount.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LatencyAnomaly(name, thresholds, minCount.get().intValue(), window,
                DEFAULT_CEILING, DEFAULT_COOLDOWN, actions));
    }

    private static Map<SmbCommand, Duration> latencyThresholds(ConfigNode a, String mode) {
        Duration defaultThreshold = millis(a.get("default_threshold_ms").number(0, true, 3_600_000)
                .orElse(DEFAULT_THRESHOLD_MS));
        Map<SmbCommand, Duration> tracked = new EnumMap<>(SmbCommand.class);
        ConfigNode trackNode = a.get("track_commands");
        for (ConfigNode item : trackNode.items()) {
            Optional<SmbCommand> command;
            Duration threshold = defaultThreshold;
            if (item.requireMap()) {
                item.allowOnly(ConfigNode.keys("command", "threshold"));
                command = command(item.get("command"));
                Optional<Double> ms = item.get("threshold").number(0, true, 3_600_000);
                if (ms.isPresent()) {
                    threshold = millis(ms.get());
                }
            } else {
                command = Optional.empty();
            }
            if (command.isPresent() && tracked.put(command.get(), threshold) != null) {
                item.get("command").error("is listed twice in track_commands");
            }
        }
        Set<SmbCommand> excluded = commandSet(a.get("exclude_commands"));
        for (SmbCommand c : excluded) {
            if (tracked.containsKey(c)) {
                a.get("exclude_commands").error(c + " is in both track_commands and exclude_commands");
            }
        }

        Map<SmbCommand, Duration> effective = new EnumMap<>(SmbCommand.class);
        switch (mode) {
            case "trackonly" -> {
                effective.putAll(tracked);
                if (!excluded.isEmpty()) {
                    a.get("exclude_commands").notice("ignored in mode trackonly");
                }
            }
            case "excludeonly" -> {
                for (SmbCommand c : SmbCommand.values()) {
                    if (!excluded.contains(c)) {
                        effective.put(c, defaultThreshold);
                    }
                }
                if (!tracked.isEmpty()) {
                    trackNode.notice("ignored in mode excludeonly (every command not excluded uses default_threshold_ms)");
                }
            }
            default -> {
                for (SmbCommand c : SmbCommand.values()) {
                    if (!excluded.contains(c)) {
                        effective.put(c, tracked.getOrDefault(c, defaultThreshold));
                    }
                }
            }
        }
        if (effective.isEmpty()) {
            a.get("mode").error("leaves no command to watch in mode " + mode);
        }
        return effective;
    }

    private static void errorCodes(ConfigNode a, String mode) {
        Set<String> track = codes(a.get("track_codes"));
        Set<String> exclude = codes(a.get("exclude_codes"));
        for (String code : track) {
            if (exclude.contains(code)) {
                a.get("exclude_codes").error(code + " is in both track_codes and exclude_codes");
            }
        }
        if (mode.equals("trackonly") && track.isEmpty()) {
            a.get("track_codes").error("mode trackonly needs at least one code");
        }
        if (mode.equals("excludeonly") && exclude.size() == Errno.all().size()) {
            a.get("exclude_codes").error("leaves no code to watch");
        }
    }

    private static Set<String> codes(ConfigNode list) {
        Set<String> out = new LinkedHashSet<>();
        for (ConfigNode item : list.items()) {
            item.string().ifPresent(code -> {
                if (Errno.ofName(code).isEmpty()) {
                    item.error("is not an errno name such as EACCES, EIO, ETIMEDOUT" + ConfigNode.hint(code, Errno.all().keySet()));
                } else if (!out.add(code)) {
                    item.error("is listed twice");
                }
            });
        }
        return out;
    }

    private static Set<SmbCommand> commandSet(ConfigNode list) {
        Set<SmbCommand> out = java.util.EnumSet.noneOf(SmbCommand.class);
        for (ConfigNode item : list.items()) {
            command(item).ifPresent(c -> {
                if (!out.add(c)) {
                    item.error("is listed twice");
                }
            });
        }
        return out;
    }

    private static Optional<SmbCommand> command(ConfigNode node) {
        if (!node.isPresent()) {
            node.error("is required (an SMB2 command such as SMB2_WRITE)");
            return Optional.empty();
        }
        Optional<String> name = node.string();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<SmbCommand> command = SmbCommand.ofName(name.get());
        if (command.isEmpty()) {
            node.error("is not an SMB2 command" + ConfigNode.hint(name.get(), COMMAND_NAMES)
                    + " (known: " + String.join(", ", COMMAND_NAMES) + ")");
        }
        return command;
    }

    private static List<String> actions(ConfigNode list) {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            Optional<String> name = item.string();
            if (name.isEmpty()) {
                continue;
            }
            if (!ActionCatalog.AODV2_ACTIONS.contains(name.get()) && !ActionCatalog.isImplemented(name.get())) {
                item.error("is not an action" + ConfigNode.hint(name.get(), ActionCatalog.AODV2_ACTIONS)
                        + " (known: " + String.join(", ", ActionCatalog.names()) + ")");
            } else if (!ActionCatalog.isImplemented(name.get())) {
                item.notice(name.get() + " is not implemented yet; skipped");
            } else if (out.contains(name.get())) {
                item.notice(name.get() + " is listed twice; run once");
            } else {
                out.add(name.get());
            }
        }
        return out;
    }

    private static void cleanup(ConfigNode cleanup) {
        if (!cleanup.requireMap()) {
            return;
        }
        cleanup.allowOnly(ConfigNode.keys("cleanup_interval_sec", "max_log_age_days", "max_total_log_size_mb"));
        cleanup.get("cleanup_interval_sec").integer(1, 86_400);
        cleanup.get("max_log_age_days").number(0, false, 3650);
        cleanup.get("max_total_log_size_mb").number(0, false, 10_000_000);
        cleanup.notice("bundle retention is not implemented yet; bundles are kept until removed by hand");
    }

    private static Optional<Path> absolutePath(ConfigNode node, String value) {
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            node.error("must be an absolute path");
            return Optional.empty();
        }
        return Optional.of(p.normalize());
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos(Math.round(ms * 1_000_000));
    }
}
