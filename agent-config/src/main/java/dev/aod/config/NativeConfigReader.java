package dev.aod.config;

import dev.aod.protocol.Errno;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SessionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads AOD's own format ({@code apiVersion: aod.dev/v1alpha1, kind: AgentConfig}); every field is checked. */
final class NativeConfigReader {
    static final Set<String> ROOT_KEYS = ConfigNode.keys("apiVersion", "kind", "node", "outputDir", "bundleDir",
            "pollInterval", "anomalies", "capture", "retention", "upload", "metrics");
    private static final Set<String> COMMON_ANOMALY_KEYS =
            ConfigNode.keys("name", "policy", "type", "protocol", "cooldown", "mounts", "actions");
    private static final Map<String, Set<String>> TYPE_KEYS = Map.of(
            "latency", ConfigNode.keys("layer", "mode", "defaultThreshold", "track", "exclude", "minCount", "window",
                    "ceiling"),
            "error", ConfigNode.keys("layer", "mode", "codes", "excludeCodes", "operations", "minCount", "window"),
            "hung", ConfigNode.keys("after", "operations"),
            "session", ConfigNode.keys("events", "minCount", "window"));
    private static final List<String> TYPES = List.of("latency", "error", "hung", "session");
    private static final List<String> MODES = List.of("all", "trackonly", "excludeonly");
    private static final List<String> FTRACE_SYSTEMS = List.of("cifs", "smb3", "nfs", "nfs4", "sunrpc");
    private static final Pattern FTRACE_EVENT_GLOB = Pattern.compile("[a-z0-9_]+/[a-z0-9_*?]+");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");
    static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
    /** The detectors keep the last minCount timestamps per mount: this bounds their memory (~120 KiB). */
    static final long MAX_MIN_COUNT = 10_000;
    private static final Duration MAX_WINDOW = Duration.ofDays(1);

    private NativeConfigReader() {}

    static Optional<AgentConfig> read(ConfigNode root, ConfigProblems problems) {
        root.allowOnly(ROOT_KEYS);
        ConfigNode apiVersion = root.get("apiVersion");
        if (!apiVersion.isPresent()) {
            apiVersion.error("is required (" + AgentConfig.API_VERSION + ")");
        }
        apiVersion.oneOf(List.of(AgentConfig.API_VERSION), false);
        ConfigNode kind = root.get("kind");
        if (!kind.isPresent()) {
            kind.error("is required (" + AgentConfig.KIND + ")");
        }
        kind.oneOf(List.of(AgentConfig.KIND), false);
        String node = root.get("node").string().orElse("");
        Optional<Path> outputDir = absolutePath(root.get("outputDir"), true);
        Optional<Path> bundleDir = absolutePath(root.get("bundleDir"), false);
        Duration poll = root.get("pollInterval").duration(Duration.ofMillis(1), Duration.ofSeconds(10))
                .orElse(AgentConfig.DEFAULT_POLL_INTERVAL);

        List<AnomalySpec> anomalies = new ArrayList<>();
        Set<String> names = new HashSet<>();
        ConfigNode list = root.get("anomalies");
        for (ConfigNode item : list.items()) {
            anomaly(item, names).ifPresent(anomalies::add);
        }
        if (anomalies.isEmpty() && problems.errors().isEmpty()) {
            list.notice("no anomalies configured: the agent watches nothing");
        }
        CaptureSettings capture = capture(root.get("capture"));
        RetentionSettings retention = retention(root.get("retention"));
        Optional<UploadTarget> upload = upload(root.get("upload"));
        MetricsSettings metrics = metrics(root.get("metrics"));

        if (!problems.errors().isEmpty()) {
            return Optional.empty();
        }
        Path out = outputDir.orElseThrow();
        return Optional.of(new AgentConfig(node, out, bundleDir.orElse(out.resolve("bundles")), poll, anomalies,
                capture, retention, upload, metrics));
    }

    private static Optional<AnomalySpec> anomaly(ConfigNode a, Set<String> names) {
        if (!a.requireMap()) {
            return Optional.empty();
        }
        ConfigNode typeNode = a.get("type");
        if (!typeNode.isPresent()) {
            typeNode.error("is required (one of " + String.join(", ", TYPES) + ")");
        }
        Optional<String> type = typeNode.oneOf(TYPES, false);
        Set<String> allowed = new LinkedHashSet<>(COMMON_ANOMALY_KEYS);
        type.ifPresent(t -> allowed.addAll(TYPE_KEYS.get(t)));
        if (type.isPresent()) {
            a.allowOnly(allowed);
        }
        Optional<String> name = a.get("name").requiredString();
        name.ifPresent(n -> {
            if (!NAME.matcher(n).matches()) {
                a.get("name").error("must be lower-case letters, digits, '.', '-' or '_', at most 63 characters");
            } else if (!names.add(n)) {
                a.get("name").error("is used by another anomaly");
            }
        });
        String policy = a.get("policy").string().orElse("");
        ConfigNode protocolNode = a.get("protocol");
        if (!protocolNode.isPresent()) {
            protocolNode.error("is required (smb or nfs)");
        }
        Optional<Protocol> protocol = protocolNode.oneOf(List.of("smb", "nfs"), false)
                .map(p -> Protocol.valueOf(p.toUpperCase(Locale.ROOT)));
        Duration cooldown = a.get("cooldown").duration(Duration.ZERO, MAX_WINDOW).orElse(DEFAULT_COOLDOWN);
        List<MountFilter> mounts = mounts(a.get("mounts"));
        List<String> actions = actions(a.get("actions"));
        if (type.isEmpty() || protocol.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        Protocol p = protocol.get();
        List<String> effectiveActions = a.get("actions").isPresent() ? actions : ActionNames.defaultsFor(p);
        return switch (type.get()) {
            case "latency" -> latency(a, name.get(), policy, p, cooldown, mounts, effectiveActions);
            case "error" -> error(a, name.get(), policy, p, cooldown, mounts, effectiveActions);
            case "hung" -> hung(a, name.get(), policy, p, cooldown, mounts, effectiveActions);
            default -> session(a, name.get(), policy, p, cooldown, mounts, effectiveActions);
        };
    }

    private static Optional<AnomalySpec> latency(ConfigNode a, String name, String policy, Protocol protocol,
            Duration cooldown, List<MountFilter> mounts, List<String> actions) {
        Layer layer = layer(a.get("layer"));
        OperationTable table = OperationTable.of(protocol, layer);
        String mode = a.get("mode").oneOf(MODES, false).orElse("all");
        Duration defaultThreshold = a.get("defaultThreshold").duration(Duration.ZERO, Duration.ofHours(1))
                .orElse(Duration.ofMillis(10));
        Map<String, Duration> tracked = new LinkedHashMap<>();
        ConfigNode track = a.get("track");
        if (track.isPresent() && !track.isMap()) {
            track.error("must be a mapping of " + table.kind() + " to threshold, e.g. {" + table.names().get(0)
                    + ": 50ms}; an empty threshold uses defaultThreshold");
        } else {
            for (Map.Entry<String, ConfigNode> e : track.entries()) {
                if (operation(e.getValue(), e.getKey(), table)) {
                    tracked.put(e.getKey(), e.getValue().hasValue()
                            ? e.getValue().duration(Duration.ZERO, Duration.ofHours(1)).orElse(defaultThreshold)
                            : defaultThreshold);
                }
            }
        }
        Set<String> excluded = operations(a.get("exclude"), table);
        Map<String, Duration> thresholds = applyMode(a, mode, table, defaultThreshold, tracked, excluded, "track", "exclude");
        int minCount = a.get("minCount").integer(1, MAX_MIN_COUNT).orElse(10L).intValue();
        Duration window = a.get("window").duration(Duration.ofMillis(1), MAX_WINDOW).orElse(Duration.ofSeconds(10));
        Duration ceiling = a.get("ceiling").duration(Duration.ofMillis(1), Duration.ofHours(1))
                .orElse(LatencySpec.DEFAULT_CEILING);
        if (thresholds.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LatencySpec(name, policy, protocol, layer, thresholds, minCount, window, ceiling,
                cooldown, mounts, actions));
    }

    /** The effective thresholds of a mode, shared with the AODv2 reader. */
    static Map<String, Duration> applyMode(ConfigNode a, String mode, OperationTable table, Duration defaultThreshold,
            Map<String, Duration> tracked, Set<String> excluded, String trackKey, String excludeKey) {
        for (String op : excluded) {
            if (tracked.containsKey(op)) {
                a.get(excludeKey).error(op + " is in both " + trackKey + " and " + excludeKey);
            }
        }
        Map<String, Duration> effective = new LinkedHashMap<>();
        switch (mode) {
            case "trackonly" -> {
                effective.putAll(tracked);
                if (!excluded.isEmpty()) {
                    a.get(excludeKey).notice("ignored in mode trackonly");
                }
            }
            case "excludeonly" -> {
                table.names().stream().filter(op -> !excluded.contains(op)).forEach(op -> effective.put(op, defaultThreshold));
                if (!tracked.isEmpty()) {
                    a.get(trackKey).notice("ignored in mode excludeonly (every operation not excluded uses the default threshold)");
                }
            }
            default -> table.names().stream().filter(op -> !excluded.contains(op))
                    .forEach(op -> effective.put(op, tracked.getOrDefault(op, defaultThreshold)));
        }
        if (effective.isEmpty()) {
            a.get("mode").error("leaves no " + table.kind() + " to watch in mode " + mode);
        }
        return effective;
    }

    private static Optional<AnomalySpec> error(ConfigNode a, String name, String policy, Protocol protocol,
            Duration cooldown, List<MountFilter> mounts, List<String> actions) {
        Layer layer = layer(a.get("layer"));
        String mode = a.get("mode").oneOf(MODES, false).orElse("all");
        Set<String> codes = codes(a.get("codes"));
        Set<String> excluded = codes(a.get("excludeCodes"));
        Set<String> operations = operations(a.get("operations"), OperationTable.of(protocol, layer));
        int minCount = a.get("minCount").integer(1, MAX_MIN_COUNT).orElse(1L).intValue();
        Duration window = a.get("window").duration(Duration.ofMillis(1), MAX_WINDOW).orElse(Duration.ofSeconds(60));
        return errorCodes(a, mode, codes, excluded, "codes", "excludeCodes").map(filter -> new ErrorSpec(name, policy,
                protocol, layer, filter.codes(), filter.exclude(), operations, minCount, window, cooldown, mounts, actions));
    }

    record CodeFilter(Set<String> codes, boolean exclude) {}

    /** Applies a mode to error codes, shared with the AODv2 reader. */
    static Optional<CodeFilter> errorCodes(ConfigNode a, String mode, Set<String> tracked, Set<String> excluded,
            String trackKey, String excludeKey) {
        for (String code : tracked) {
            if (excluded.contains(code)) {
                a.get(excludeKey).error(code + " is in both " + trackKey + " and " + excludeKey);
            }
        }
        switch (mode) {
            case "trackonly" -> {
                if (tracked.isEmpty()) {
                    a.get(trackKey).error("mode trackonly needs at least one code");
                    return Optional.empty();
                }
                if (!excluded.isEmpty()) {
                    a.get(excludeKey).notice("ignored in mode trackonly");
                }
                return Optional.of(new CodeFilter(tracked, false));
            }
            default -> {
                if (!tracked.isEmpty()) {
                    a.get(trackKey).notice("ignored in mode " + mode + " (every error counts unless excluded)");
                }
                if (excluded.size() >= Errno.all().size()) {
                    a.get(excludeKey).error("leaves no code to watch");
                    return Optional.empty();
                }
                return Optional.of(new CodeFilter(excluded, true));
            }
        }
    }

    private static Optional<AnomalySpec> hung(ConfigNode a, String name, String policy, Protocol protocol,
            Duration cooldown, List<MountFilter> mounts, List<String> actions) {
        Duration after = a.get("after").duration(Duration.ofSeconds(1), Duration.ofHours(24)).orElse(Duration.ofSeconds(30));
        Set<String> operations = operations(a.get("operations"), OperationTable.of(protocol, Layer.WIRE));
        return Optional.of(new HungSpec(name, policy, protocol, after, operations, cooldown, mounts, actions));
    }

    private static Optional<AnomalySpec> session(ConfigNode a, String name, String policy, Protocol protocol,
            Duration cooldown, List<MountFilter> mounts, List<String> actions) {
        Set<SessionEvent> events = EnumSet.noneOf(SessionEvent.class);
        List<String> allowed = SessionEvent.of(protocol).stream().map(SessionEvent::key).toList();
        ConfigNode list = a.get("events");
        for (ConfigNode item : list.items()) {
            item.oneOf(allowed, false).flatMap(SessionEvent::ofKey).ifPresent(e -> {
                if (!events.add(e)) {
                    item.error("is listed twice");
                }
            });
        }
        if (!list.isPresent()) {
            events.addAll(SessionEvent.of(protocol));
        } else if (events.isEmpty() && list.items().isEmpty()) {
            list.error("needs at least one of " + String.join(", ", allowed));
        }
        int minCount = a.get("minCount").integer(1, MAX_MIN_COUNT).orElse(1L).intValue();
        Duration window = a.get("window").duration(Duration.ofMillis(1), MAX_WINDOW).orElse(Duration.ofMinutes(5));
        if (events.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SessionSpec(name, policy, protocol, events, minCount, window, cooldown, mounts, actions));
    }

    private static Layer layer(ConfigNode node) {
        return node.oneOf(List.of("wire", "vfs"), false).map(l -> Layer.valueOf(l.toUpperCase(Locale.ROOT)))
                .orElse(Layer.WIRE);
    }

    /** Checks one operation name against the table, reporting a misspelling with a suggestion. */
    static boolean operation(ConfigNode node, String name, OperationTable table) {
        if (table.codes(name).isPresent()) {
            return true;
        }
        node.error(name + " is not a known " + table.kind() + ConfigNode.hint(name, table.names()));
        return false;
    }

    static Set<String> operations(ConfigNode list, OperationTable table) {
        Set<String> out = new LinkedHashSet<>();
        for (ConfigNode item : list.items()) {
            item.string().ifPresent(op -> {
                if (!operation(item, op, table)) {
                    return;
                }
                if (!out.add(op)) {
                    item.error("is listed twice");
                }
            });
        }
        return out;
    }

    static Set<String> codes(ConfigNode list) {
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

    static List<String> actions(ConfigNode list) {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            item.string().ifPresent(action -> {
                if (!ActionNames.ALL.contains(action)) {
                    item.error("is not an action" + ConfigNode.hint(action, ActionNames.ALL)
                            + " (known: " + String.join(", ", ActionNames.ALL) + ")");
                } else if (out.contains(action)) {
                    item.notice(action + " is listed twice; run once");
                } else {
                    out.add(action);
                }
            });
        }
        return out;
    }

    private static List<MountFilter> mounts(ConfigNode list) {
        List<MountFilter> out = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            if (item.requireMap()) {
                item.allowOnly(ConfigNode.keys("server", "share"));
                String server = item.get("server").string().orElse("");
                String share = item.get("share").string().orElse("");
                if (server.isEmpty() && share.isEmpty()) {
                    item.error("needs a server, a share (or export path), or both");
                }
                out.add(new MountFilter(server, share));
            }
        }
        return out;
    }

    private static CaptureSettings capture(ConfigNode c) {
        CaptureSettings d = CaptureSettings.DEFAULTS;
        if (!c.requireMap()) {
            return d;
        }
        c.allowOnly(ConfigNode.keys("maxConcurrentBundles", "actionTimeout", "kernelLogWindow", "flightRecorder",
                "minFreeSpace", "ftrace", "packetCapture", "verbose"));
        int concurrent = c.get("maxConcurrentBundles").integer(1, 16).map(Long::intValue).orElse(d.maxConcurrentBundles());
        Duration timeout = c.get("actionTimeout").duration(Duration.ofSeconds(1), Duration.ofMinutes(10)).orElse(d.actionTimeout());
        Duration logWindow = c.get("kernelLogWindow").duration(Duration.ofSeconds(10), Duration.ofDays(1)).orElse(d.kernelLogWindow());
        Duration flight = c.get("flightRecorder").duration(Duration.ZERO, Duration.ofMinutes(10)).orElse(d.flightRecorder());
        long minFree = c.get("minFreeSpace").size(0, 1L << 50).orElse(d.minFreeBytes());

        CaptureSettings.Ftrace ftrace = d.ftrace();
        ConfigNode f = c.get("ftrace");
        if (f.requireMap()) {
            f.allowOnly(ConfigNode.keys("enabled", "bufferSizeKb", "systems", "exclude"));
            List<String> systems = new ArrayList<>();
            for (ConfigNode s : f.get("systems").items()) {
                s.oneOf(FTRACE_SYSTEMS, false).ifPresent(systems::add);
            }
            List<String> exclude = new ArrayList<>();
            for (ConfigNode e : f.get("exclude").items()) {
                e.pattern(FTRACE_EVENT_GLOB, "<system>/<event>, the event a name or a glob (sunrpc/svc*)")
                        .ifPresent(exclude::add);
            }
            ftrace = new CaptureSettings.Ftrace(f.get("enabled").bool().orElse(ftrace.enabled()),
                    f.get("bufferSizeKb").integer(64, 1 << 20).map(Long::intValue).orElse(ftrace.bufferSizeKb()),
                    f.get("systems").isPresent() ? systems : ftrace.systems(),
                    f.get("exclude").isPresent() ? exclude : ftrace.exclude());
        }
        CaptureSettings.PacketCapture pcap = d.packetCapture();
        ConfigNode pc = c.get("packetCapture");
        if (pc.requireMap()) {
            pc.allowOnly(ConfigNode.keys("enabled", "ports", "rotateSize", "rotateFiles", "snapLength"));
            List<Integer> ports = new ArrayList<>();
            for (ConfigNode port : pc.get("ports").items()) {
                port.integer(1, 65535).ifPresent(v -> ports.add(v.intValue()));
            }
            pcap = new CaptureSettings.PacketCapture(pc.get("enabled").bool().orElse(pcap.enabled()),
                    pc.get("ports").isPresent() ? ports : pcap.ports(),
                    pc.get("rotateSize").size(1L << 20, 4L << 30).orElse(pcap.rotateBytes()),
                    pc.get("rotateFiles").integer(1, 100).map(Long::intValue).orElse(pcap.rotateFiles()),
                    pc.get("snapLength").integer(64, 262144).map(Long::intValue).orElse(pcap.snapLength()));
        }
        CaptureSettings.Verbose verbose = d.verbose();
        ConfigNode v = c.get("verbose");
        if (v.requireMap()) {
            v.allowOnly(ConfigNode.keys("cifsFyi", "rpcDebug", "duration"));
            verbose = new CaptureSettings.Verbose(v.get("cifsFyi").bool().orElse(false),
                    v.get("rpcDebug").bool().orElse(false),
                    v.get("duration").duration(Duration.ofSeconds(1), Duration.ofMinutes(10)).orElse(verbose.duration()));
        }
        return new CaptureSettings(concurrent, timeout, logWindow, flight, minFree, ftrace, pcap, verbose);
    }

    private static RetentionSettings retention(ConfigNode r) {
        RetentionSettings d = RetentionSettings.DEFAULTS;
        if (!r.requireMap()) {
            return d;
        }
        r.allowOnly(ConfigNode.keys("interval", "maxAge", "maxTotalSize"));
        return new RetentionSettings(
                r.get("interval").duration(Duration.ofSeconds(1), Duration.ofDays(1)).orElse(d.interval()),
                r.get("maxAge").duration(Duration.ofMinutes(1), Duration.ofDays(3650)).orElse(d.maxAge()),
                r.get("maxTotalSize").size(64L << 10, 1L << 50).orElse(d.maxTotalBytes()));
    }

    private static final Pattern UPLOAD_PREFIX = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private static Optional<UploadTarget> upload(ConfigNode u) {
        if (!u.requireMap()) {
            return Optional.empty();
        }
        List<String> targets = List.of("directory", "azureBlob", "s3");
        u.allowOnly(targets);
        List<String> given = targets.stream().filter(t -> u.get(t).isPresent()).toList();
        if (given.size() != 1) {
            u.error("needs exactly one of " + String.join(", ", targets)
                    + (given.isEmpty() ? "" : " (got " + String.join(" and ", given) + ")"));
            return Optional.empty();
        }
        ConfigNode t = u.get(given.get(0));
        if (!t.requireMap()) {
            return Optional.empty();
        }
        String prefix = t.get("prefix").string().orElse("aod");
        if (!prefix.isEmpty() && (!UPLOAD_PREFIX.matcher(prefix).matches() || List.of(prefix.split("/")).contains("..")
                || List.of(prefix.split("/")).contains("."))) {
            t.get("prefix").error("must be a relative path of letters, digits, '.', '-' and '_' such as aod or diag/aod");
        }
        switch (given.get(0)) {
            case "directory" -> {
                t.allowOnly(ConfigNode.keys("path", "prefix"));
                return absolutePath(t.get("path"), true).map(p -> new UploadTarget.Directory(p, prefix));
            }
            case "azureBlob" -> {
                t.allowOnly(ConfigNode.keys("accountUrl", "container", "prefix", "connectionStringFile", "sasTokenFile"));
                String accountUrl = t.get("accountUrl").string().orElse("");
                Optional<String> container = t.get("container").requiredString();
                String connection = absolutePath(t.get("connectionStringFile"), false).map(Path::toString).orElse("");
                String sas = absolutePath(t.get("sasTokenFile"), false).map(Path::toString).orElse("");
                if (accountUrl.contains("?") || accountUrl.contains("@")) {
                    // reported on the target, not the field, so that a pasted token is not echoed back
                    t.error("accountUrl must not carry credentials (a query string or user info): put a SAS token in "
                            + "sasTokenFile");
                } else if (!accountUrl.isEmpty() && !accountUrl.matches("https?://[^/\\s]+(/[^\\s]*)?")) {
                    t.get("accountUrl").error("must be an http(s) URL such as https://ACCOUNT.blob.core.windows.net");
                }
                if (!connection.isEmpty() && !sas.isEmpty()) {
                    t.error("takes either connectionStringFile or sasTokenFile, not both");
                }
                if (connection.isEmpty() && accountUrl.isEmpty()) {
                    t.get("accountUrl").error("is required unless connectionStringFile is given");
                }
                container.filter(c -> !c.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]"))
                        .ifPresent(c -> t.get("container").error("is not a valid container name (3-63 lower-case letters, digits and single hyphens)"));
                return container.map(c -> new UploadTarget.AzureBlob(accountUrl, c, prefix, connection, sas));
            }
            default -> {
                t.allowOnly(ConfigNode.keys("bucket", "prefix", "region", "endpoint", "pathStyle", "accessKeyIdFile",
                        "secretAccessKeyFile"));
                Optional<String> bucket = t.get("bucket").requiredString();
                bucket.filter(b -> !BUCKET.matcher(b).matches() || b.contains(".."))
                        .ifPresent(b -> t.get("bucket").error("is not a valid bucket name (3-63 lower-case letters, "
                                + "digits, '.' and '-', starting and ending with a letter or digit)"));
                String region = t.get("region").string().orElse("");
                if (!region.isEmpty() && !REGION.matcher(region).matches()) {
                    t.get("region").error("must be a region name such as us-east-1");
                }
                String endpoint = t.get("endpoint").string().orElse("");
                if (endpoint.contains("@") || endpoint.contains("?")) {
                    t.error("endpoint must not carry credentials (user info or a query string): use accessKeyIdFile and "
                            + "secretAccessKeyFile");
                } else if (!endpoint.isEmpty() && !endpoint.matches("https?://[^/\\s]+(/[^\\s]*)?")) {
                    t.get("endpoint").error("must be an http(s) URL of the service, such as https://s3.example.com:9000");
                }
                boolean pathStyle = t.get("pathStyle").bool().orElse(false);
                String keyId = absolutePath(t.get("accessKeyIdFile"), false).map(Path::toString).orElse("");
                String secret = absolutePath(t.get("secretAccessKeyFile"), false).map(Path::toString).orElse("");
                if (keyId.isEmpty() != secret.isEmpty()) {
                    t.error("needs both accessKeyIdFile and secretAccessKeyFile, or neither (default credential chain)");
                }
                return bucket.map(b -> new UploadTarget.S3(b, prefix, region, endpoint, pathStyle, keyId, secret));
            }
        }
    }

    private static MetricsSettings metrics(ConfigNode m) {
        MetricsSettings d = MetricsSettings.DEFAULTS;
        if (!m.requireMap()) {
            return d;
        }
        m.allowOnly(ConfigNode.keys("address", "port"));
        return new MetricsSettings(m.get("address").string().orElse(d.address()),
                m.get("port").integer(0, 65535).map(Long::intValue).orElse(d.port()));
    }

    static Optional<Path> absolutePath(ConfigNode node, boolean required) {
        Optional<String> s = required ? node.requiredString() : node.string();
        if (s.isEmpty() || s.get().isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(s.get());
        if (!p.isAbsolute()) {
            node.error("must be an absolute path");
            return Optional.empty();
        }
        return Optional.of(p.normalize());
    }
}
