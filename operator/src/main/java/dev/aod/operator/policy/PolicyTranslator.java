package dev.aod.operator.policy;

import dev.aod.api.v1alpha1.Action;
import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.AnomalyPolicySpec;
import dev.aod.api.v1alpha1.AzureBlobUpload;
import dev.aod.api.v1alpha1.ErrorDetection;
import dev.aod.api.v1alpha1.ErrorMode;
import dev.aod.api.v1alpha1.HungDetection;
import dev.aod.api.v1alpha1.LatencyDetection;
import dev.aod.api.v1alpha1.LatencyMode;
import dev.aod.api.v1alpha1.OperationThreshold;
import dev.aod.api.v1alpha1.Protocol;
import dev.aod.api.v1alpha1.Retention;
import dev.aod.api.v1alpha1.S3Upload;
import dev.aod.api.v1alpha1.SecretKeyRef;
import dev.aod.api.v1alpha1.SessionDetection;
import dev.aod.api.v1alpha1.SessionEventType;
import dev.aod.api.v1alpha1.Upload;
import dev.aod.config.ActionNames;
import dev.aod.config.AgentConfig;
import dev.aod.config.AnomalySpec;
import dev.aod.config.ConfigLoader;
import dev.aod.config.ConfigWriter;
import dev.aod.config.ErrorSpec;
import dev.aod.config.HungSpec;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.LatencySpec;
import dev.aod.config.MountFilter;
import dev.aod.config.RetentionSettings;
import dev.aod.config.SessionSpec;
import dev.aod.config.Units;
import dev.aod.config.UploadTarget;
import dev.aod.protocol.Errno;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.SessionEvent;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns an AnomalyPolicy into the agent's AnomalySpecs and checks it with the agent's rules (its
 * operation, errno and session-event tables, its ranges), reporting every error by its field path.
 * Each detector runs once per protocol: an operation name counts for the protocols whose table
 * has it, and a detector that is left with nothing to watch for one of the protocols is an error.
 * A translation that passes is rendered and read back by the agent's own reader as a last check.
 */
public final class PolicyTranslator {
    /** Where the agent pods find a policy's Secrets: {@code <dir>/<secret>/<key>}. */
    public static final String SECRETS_DIR = "/etc/aod/secrets";
    /** Where the agent pods find upload volumes: {@code <dir>/<claim>}. */
    public static final String UPLOAD_DIR = "/var/lib/aod-upload";
    static final String DEFAULT_PREFIX = "aod";

    private static final Duration MAX_WINDOW = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final long MIN_RETENTION_BYTES = 64L << 10;
    private static final long MAX_RETENTION_BYTES = 1L << 50;

    private final AgentConfig base;

    /** @param base the node-level settings a node gets when no policy sets them */
    public PolicyTranslator(AgentConfig base) {
        this.base = base;
    }

    public Translation translate(AnomalyPolicy policy) {
        String name = policy.getMetadata().getName();
        Problems problems = new Problems();
        if (name.length() > AnomalyPolicy.MAX_NAME_LENGTH) {
            problems.error("metadata.name", "must be at most " + AnomalyPolicy.MAX_NAME_LENGTH
                    + " characters: detectors are named <policy>.<detector>-<protocol>, at most 63 (got " + name.length() + ")");
        }
        AnomalyPolicySpec spec = policy.getSpec();
        if (spec == null) {
            problems.error("spec", "is required");
            return Translation.rejected(name, problems.errors());
        }
        NodeSelectors.validate(spec.nodeSelector(), "spec.nodeSelector", problems);
        List<Protocol> protocols = protocols(spec.protocols(), problems);
        if (spec.latency() == null && spec.errors() == null && spec.hung() == null && spec.session() == null) {
            problems.error("spec", "at least one of latency, errors, hung or session is required");
        }
        Duration cooldown = duration(problems, "spec.cooldown", spec.cooldown(), AnomalyPolicySpec.DEFAULT_COOLDOWN,
                Duration.ZERO, MAX_WINDOW);
        Common common = new Common(name, protocols, cooldown, mounts(spec.mounts(), problems), spec.actions());

        List<AnomalySpec> anomalies = new ArrayList<>();
        if (spec.latency() != null) {
            latency(spec.latency(), common, problems, anomalies);
        }
        if (spec.errors() != null) {
            errors(spec.errors(), common, problems, anomalies);
        }
        if (spec.hung() != null) {
            hung(spec.hung(), common, problems, anomalies);
        }
        if (spec.session() != null) {
            session(spec.session(), common, problems, anomalies);
        }
        Optional<UploadTarget> upload = spec.upload() == null ? Optional.empty() : upload(spec.upload(), problems);
        Optional<RetentionSettings> retention =
                spec.retention() == null ? Optional.empty() : Optional.of(retention(spec.retention(), problems));
        if (!problems.isEmpty()) {
            return Translation.rejected(name, problems.errors());
        }
        Translation t = new Translation(name, anomalies, upload, retention, List.of());
        return readBackByTheAgent(t);
    }

    /** The rendered config of this policy alone, as the agent would read it. */
    private Translation readBackByTheAgent(Translation t) {
        AgentConfig alone = new AgentConfig("", base.outputDir(), base.bundleDir(), base.pollInterval(), t.anomalies(),
                base.capture(), t.retention().orElse(base.retention()), t.upload(), base.metrics());
        try {
            ConfigLoader.parse(ConfigWriter.toYaml(alone), "policy " + t.policy());
            return t;
        } catch (InvalidConfigException e) {
            return Translation.rejected(t.policy(),
                    e.errors().stream().map(err -> "rendered agent config: " + err).toList());
        }
    }

    private record Common(String policy, List<Protocol> protocols, Duration cooldown, List<MountFilter> mounts,
            List<Action> actions) {

        String name(String detector, Protocol p) {
            return policy + "." + detector + "-" + p.name().toLowerCase(Locale.ROOT);
        }

        List<String> actionsFor(dev.aod.protocol.Protocol p) {
            return actions == null ? ActionNames.defaultsFor(p) : actions.stream().map(Action::agentName).toList();
        }
    }

    private static List<Protocol> protocols(List<Protocol> given, Problems problems) {
        List<Protocol> out = new ArrayList<>();
        if (given == null || given.isEmpty()) {
            problems.error("spec.protocols", "needs at least one of SMB, NFS");
            return out;
        }
        for (int i = 0; i < given.size(); i++) {
            Protocol p = given.get(i);
            if (p == null) {
                problems.error("spec.protocols[" + i + "]", "must be SMB or NFS");
            } else if (out.contains(p)) {
                problems.error("spec.protocols[" + i + "]", p + " is listed twice");
            } else {
                out.add(p);
            }
        }
        return out;
    }

    static dev.aod.protocol.Protocol agent(Protocol p) {
        return p == Protocol.SMB ? dev.aod.protocol.Protocol.SMB : dev.aod.protocol.Protocol.NFS;
    }

    private static List<MountFilter> mounts(List<dev.aod.api.v1alpha1.MountFilter> given, Problems problems) {
        List<MountFilter> out = new ArrayList<>();
        if (given == null) {
            return out;
        }
        for (int i = 0; i < given.size(); i++) {
            dev.aod.api.v1alpha1.MountFilter m = given.get(i);
            if (m == null || (isBlank(m.server()) && isBlank(m.share()))) {
                problems.error("spec.mounts[" + i + "]", "a mount filter needs a server, a share (or export path), or both");
            } else {
                out.add(new MountFilter(m.server(), m.share()));
            }
        }
        return out;
    }

    // --- latency

    private static void latency(LatencyDetection l, Common c, Problems problems, List<AnomalySpec> out) {
        String at = "spec.latency";
        Layer layer = layer(l.layer());
        LatencyMode mode = l.mode() == null ? LatencyMode.ALL : l.mode();
        Duration def = duration(problems, at + ".defaultThreshold", l.defaultThreshold(),
                LatencyDetection.DEFAULT_THRESHOLD, Duration.ZERO, HOUR);
        Map<String, Duration> tracked = new LinkedHashMap<>();
        List<OperationThreshold> track = l.track() == null ? List.of() : l.track();
        for (int i = 0; i < track.size(); i++) {
            OperationThreshold t = track.get(i);
            String path = at + ".track[" + i + "]";
            if (t == null || isBlank(t.operation())) {
                problems.error(path + ".operation", "is required");
                continue;
            }
            if (!knownOperation(t.operation(), c.protocols(), layer, path + ".operation", problems)) {
                continue;
            }
            Duration threshold = t.threshold() == null ? def
                    : duration(problems, path + ".threshold", t.threshold(), LatencyDetection.DEFAULT_THRESHOLD,
                    Duration.ZERO, HOUR);
            if (tracked.put(t.operation(), threshold) != null) {
                problems.error(path, t.operation() + " is listed twice");
            }
        }
        Set<String> excluded = operations(l.exclude(), c.protocols(), layer, at + ".exclude", problems);
        if (mode == LatencyMode.TRACK_ONLY && tracked.isEmpty() && track.isEmpty()) {
            problems.error(at, "mode TrackOnly needs at least one operation in track");
        }
        if (mode == LatencyMode.TRACK_ONLY && l.exclude() != null) {
            problems.error(at, "exclude has no effect in mode TrackOnly: remove it or use mode All");
        }
        if (mode == LatencyMode.EXCLUDE_ONLY && l.track() != null) {
            problems.error(at, "track has no effect in mode ExcludeOnly (every operation not excluded uses defaultThreshold): "
                    + "remove it or use mode All");
        }
        List<String> exclude = l.exclude() == null ? List.of() : l.exclude();
        for (int i = 0; i < exclude.size(); i++) {
            if (tracked.containsKey(exclude.get(i))) {
                problems.error(at + ".exclude[" + i + "]", exclude.get(i) + " is in both track and exclude");
            }
        }
        int minCount = count(problems, at + ".minCount", l.minCount(), LatencyDetection.DEFAULT_MIN_COUNT);
        Duration window = duration(problems, at + ".window", l.window(), LatencyDetection.DEFAULT_WINDOW,
                Duration.ofMillis(1), MAX_WINDOW);
        Duration ceiling = duration(problems, at + ".ceiling", l.ceiling(), LatencyDetection.DEFAULT_CEILING,
                Duration.ofMillis(1), HOUR);
        for (Protocol p : c.protocols()) {
            OperationTable table = OperationTable.of(agent(p), layer);
            Map<String, Duration> thresholds = new LinkedHashMap<>();
            switch (mode) {
                case TRACK_ONLY -> tracked.forEach((op, t) -> {
                    if (table.codes(op).isPresent()) {
                        thresholds.put(op, t);
                    }
                });
                case EXCLUDE_ONLY -> table.names().stream().filter(op -> !excluded.contains(op))
                        .forEach(op -> thresholds.put(op, def));
                default -> table.names().stream().filter(op -> !excluded.contains(op))
                        .forEach(op -> thresholds.put(op, tracked.getOrDefault(op, def)));
            }
            if (thresholds.isEmpty()) {
                if (mode == LatencyMode.TRACK_ONLY) {
                    if (!tracked.isEmpty()) {
                        problems.error(at + ".track", "names no " + table.kind() + " for " + p
                                + ": track one or remove " + p + " from spec.protocols");
                    }
                } else {
                    problems.error(at + ".exclude", "leaves no " + table.kind() + " to watch for " + p);
                }
                continue;
            }
            out.add(new LatencySpec(c.name("latency", p), c.policy(), agent(p), layer, thresholds, minCount, window,
                    ceiling, c.cooldown(), c.mounts(), c.actionsFor(agent(p))));
        }
    }

    // --- errors

    private static void errors(ErrorDetection e, Common c, Problems problems, List<AnomalySpec> out) {
        String at = "spec.errors";
        Layer layer = layer(e.layer());
        ErrorMode mode = e.mode() == null ? ErrorMode.ALL : e.mode();
        Set<String> codes = codes(e.codes(), at + ".codes", problems);
        Set<String> excluded = codes(e.excludeCodes(), at + ".excludeCodes", problems);
        boolean exclude = mode == ErrorMode.ALL;
        if (mode == ErrorMode.TRACK_ONLY) {
            if (e.codes() == null || e.codes().isEmpty()) {
                problems.error(at, "mode TrackOnly needs at least one error code in codes");
            }
            if (e.excludeCodes() != null) {
                problems.error(at, "excludeCodes has no effect in mode TrackOnly: remove it or use mode All");
            }
        } else {
            if (e.codes() != null) {
                problems.error(at, "codes apply only in mode TrackOnly; in mode All every error counts unless listed in excludeCodes");
            }
            if (excluded.size() >= Errno.all().size()) {
                problems.error(at + ".excludeCodes", "leaves no code to watch");
            }
        }
        Set<String> operations = operations(e.operations(), c.protocols(), layer, at + ".operations", problems);
        int minCount = count(problems, at + ".minCount", e.minCount(), ErrorDetection.DEFAULT_MIN_COUNT);
        Duration window = duration(problems, at + ".window", e.window(), ErrorDetection.DEFAULT_WINDOW,
                Duration.ofMillis(1), MAX_WINDOW);
        for (Protocol p : c.protocols()) {
            Optional<Set<String>> ops = forProtocol(operations, e.operations(), p, layer, at + ".operations", problems);
            if (ops.isEmpty()) {
                continue;
            }
            out.add(new ErrorSpec(c.name("errors", p), c.policy(), agent(p), layer, exclude ? excluded : codes, exclude,
                    ops.get(), minCount, window, c.cooldown(), c.mounts(), c.actionsFor(agent(p))));
        }
    }

    private static Set<String> codes(List<String> given, String path, Problems problems) {
        Set<String> out = new LinkedHashSet<>();
        if (given == null) {
            return out;
        }
        for (int i = 0; i < given.size(); i++) {
            String code = given.get(i);
            if (code == null || Errno.ofName(code).isEmpty()) {
                problems.error(path + "[" + i + "]", code + " is not an errno name such as EACCES, EIO, ETIMEDOUT"
                        + (code == null ? "" : Problems.hint(code, Errno.all().keySet())));
            } else if (!out.add(code)) {
                problems.error(path + "[" + i + "]", code + " is listed twice");
            }
        }
        return out;
    }

    // --- hung

    private static void hung(HungDetection h, Common c, Problems problems, List<AnomalySpec> out) {
        String at = "spec.hung";
        Duration after = duration(problems, at + ".after", h.after(), HungDetection.DEFAULT_AFTER,
                Duration.ofSeconds(1), Duration.ofHours(24));
        Set<String> operations = operations(h.operations(), c.protocols(), Layer.WIRE, at + ".operations", problems);
        for (Protocol p : c.protocols()) {
            Optional<Set<String>> ops = forProtocol(operations, h.operations(), p, Layer.WIRE, at + ".operations", problems);
            ops.ifPresent(o -> out.add(new HungSpec(c.name("hung", p), c.policy(), agent(p), after, o, c.cooldown(),
                    c.mounts(), c.actionsFor(agent(p)))));
        }
    }

    // --- session

    private static void session(SessionDetection s, Common c, Problems problems, List<AnomalySpec> out) {
        String at = "spec.session";
        if (s.events() != null && s.events().isEmpty()) {
            problems.error(at + ".events", "needs at least one event, or leave it out for every event");
        }
        int minCount = count(problems, at + ".minCount", s.minCount(), SessionDetection.DEFAULT_MIN_COUNT);
        Duration window = duration(problems, at + ".window", s.window(), SessionDetection.DEFAULT_WINDOW,
                Duration.ofMillis(1), MAX_WINDOW);
        for (Protocol p : c.protocols()) {
            Set<SessionEvent> events = EnumSet.noneOf(SessionEvent.class);
            if (s.events() == null) {
                events.addAll(SessionEvent.of(agent(p)));
            } else {
                s.events().stream().filter(ev -> ev != null && ev.protocol() == p)
                        .forEach(ev -> events.add(SessionEvent.valueOf(ev.name())));
                if (events.isEmpty() && !s.events().isEmpty()) {
                    problems.error(at + ".events", "names no " + p + " event ("
                            + String.join(", ", sessionEventNames(p)) + "): add one or remove " + p + " from spec.protocols");
                    continue;
                }
            }
            if (!events.isEmpty()) {
                out.add(new SessionSpec(c.name("session", p), c.policy(), agent(p), events, minCount, window,
                        c.cooldown(), c.mounts(), c.actionsFor(agent(p))));
            }
        }
    }

    private static List<String> sessionEventNames(Protocol p) {
        List<String> names = new ArrayList<>();
        for (SessionEventType t : SessionEventType.values()) {
            if (t.protocol() == p) {
                names.add(io.fabric8.kubernetes.client.utils.Serialization.asJson(t).replace("\"", ""));
            }
        }
        return names;
    }

    // --- operations

    private static Layer layer(dev.aod.api.v1alpha1.Layer layer) {
        return layer == dev.aod.api.v1alpha1.Layer.VFS ? Layer.VFS : Layer.WIRE;
    }

    /** Checks that an operation is in the table of at least one of the protocols. */
    private static boolean knownOperation(String op, List<Protocol> protocols, Layer layer, String path, Problems problems) {
        Set<String> names = new TreeSet<>();
        List<String> kinds = new ArrayList<>();
        for (Protocol p : protocols) {
            OperationTable table = OperationTable.of(agent(p), layer);
            if (table.codes(op).isPresent()) {
                return true;
            }
            names.addAll(table.names());
            if (!kinds.contains(table.kind())) {
                kinds.add(table.kind());
            }
        }
        if (!protocols.isEmpty()) {
            problems.error(path, op + " is not a known " + String.join(" or ", kinds) + Problems.hint(op, names));
        }
        return false;
    }

    private static Set<String> operations(List<String> given, List<Protocol> protocols, Layer layer, String path,
            Problems problems) {
        Set<String> out = new LinkedHashSet<>();
        if (given == null) {
            return out;
        }
        for (int i = 0; i < given.size(); i++) {
            String op = given.get(i);
            if (isBlank(op)) {
                problems.error(path + "[" + i + "]", "must be an operation name");
            } else if (knownOperation(op, protocols, layer, path + "[" + i + "]", problems) && !out.add(op)) {
                problems.error(path + "[" + i + "]", op + " is listed twice");
            }
        }
        return out;
    }

    /** The operations of a list that belong to one protocol; empty list given means all. */
    private static Optional<Set<String>> forProtocol(Set<String> operations, List<String> given, Protocol p, Layer layer,
            String path, Problems problems) {
        if (given == null || given.isEmpty()) {
            return Optional.of(Set.of());
        }
        OperationTable table = OperationTable.of(agent(p), layer);
        Set<String> mine = new LinkedHashSet<>();
        operations.stream().filter(op -> table.codes(op).isPresent()).forEach(mine::add);
        if (mine.isEmpty()) {
            if (!operations.isEmpty()) {
                problems.error(path, "names no " + table.kind() + " for " + p + ": add one or remove " + p
                        + " from spec.protocols");
            }
            return Optional.empty();
        }
        return Optional.of(mine);
    }

    // --- node-level settings

    private static Optional<UploadTarget> upload(Upload u, Problems problems) {
        String at = "spec.upload";
        int targets = (u.persistentVolumeClaim() != null ? 1 : 0) + (u.azureBlob() != null ? 1 : 0) + (u.s3() != null ? 1 : 0);
        if (targets != 1) {
            problems.error(at, "exactly one of persistentVolumeClaim, azureBlob or s3 is required");
            return Optional.empty();
        }
        if (u.persistentVolumeClaim() != null) {
            String claim = u.persistentVolumeClaim().claimName();
            if (isBlank(claim)) {
                problems.error(at + ".persistentVolumeClaim.claimName", "is required");
                return Optional.empty();
            }
            return Optional.of(new UploadTarget.Directory(Path.of(UPLOAD_DIR, claim),
                    prefix(u.persistentVolumeClaim().prefix())));
        }
        if (u.azureBlob() != null) {
            AzureBlobUpload a = u.azureBlob();
            String path = at + ".azureBlob";
            if (a.connectionStringSecret() != null && a.sasTokenSecret() != null) {
                problems.error(path, "takes either connectionStringSecret or sasTokenSecret, not both");
            }
            if (isBlank(a.accountUrl()) && a.connectionStringSecret() == null) {
                problems.error(path, "accountUrl is required unless connectionStringSecret is given");
            }
            if (isBlank(a.container()) || !a.container().matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
                problems.error(path + ".container",
                        "is not a valid container name (3-63 lower-case letters, digits and single hyphens)");
            }
            return Optional.of(new UploadTarget.AzureBlob(nullToEmpty(a.accountUrl()), a.container(), prefix(a.prefix()),
                    secretFile(a.connectionStringSecret(), path + ".connectionStringSecret", problems),
                    secretFile(a.sasTokenSecret(), path + ".sasTokenSecret", problems)));
        }
        S3Upload s = u.s3();
        String path = at + ".s3";
        if (isBlank(s.bucket())) {
            problems.error(path + ".bucket", "is required");
        }
        String keyId = "";
        String secret = "";
        if (s.credentialsSecret() != null) {
            String name = s.credentialsSecret().name();
            if (isBlank(name)) {
                problems.error(path + ".credentialsSecret.name", "is required");
            } else {
                keyId = SECRETS_DIR + "/" + name + "/" + orDefault(s.credentialsSecret().accessKeyIdKey(),
                        dev.aod.api.v1alpha1.S3Credentials.DEFAULT_ACCESS_KEY_ID_KEY);
                secret = SECRETS_DIR + "/" + name + "/" + orDefault(s.credentialsSecret().secretAccessKeyKey(),
                        dev.aod.api.v1alpha1.S3Credentials.DEFAULT_SECRET_ACCESS_KEY_KEY);
            }
        }
        return Optional.of(new UploadTarget.S3(nullToEmpty(s.bucket()), prefix(s.prefix()), nullToEmpty(s.region()),
                nullToEmpty(s.endpoint()), Boolean.TRUE.equals(s.pathStyle()), keyId, secret));
    }

    private static String secretFile(SecretKeyRef ref, String path, Problems problems) {
        if (ref == null) {
            return "";
        }
        if (isBlank(ref.name()) || isBlank(ref.key())) {
            problems.error(path, "needs name and key");
            return "";
        }
        return SECRETS_DIR + "/" + ref.name() + "/" + ref.key();
    }

    private RetentionSettings retention(Retention r, Problems problems) {
        String at = "spec.retention";
        Duration maxAge = duration(problems, at + ".maxAge", r.maxAge(), Retention.DEFAULT_MAX_AGE, Duration.ofMinutes(1),
                Duration.ofDays(3650));
        long maxBytes = RetentionSettings.DEFAULTS.maxTotalBytes();
        Quantity q = r.maxTotalSize() == null ? new Quantity(Retention.DEFAULT_MAX_TOTAL_SIZE) : r.maxTotalSize();
        try {
            BigDecimal bytes = Quantity.getAmountInBytes(q);
            if (bytes.compareTo(BigDecimal.valueOf(MIN_RETENTION_BYTES)) < 0
                    || bytes.compareTo(BigDecimal.valueOf(MAX_RETENTION_BYTES)) > 0) {
                problems.error(at + ".maxTotalSize", "must be between 64Ki and 1Pi (got " + q + ")");
            } else {
                maxBytes = bytes.longValue();
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            problems.error(at + ".maxTotalSize", "must be a quantity such as 200Mi or 1Gi (got " + q + ")");
        }
        return new RetentionSettings(base.retention().interval(), maxAge, maxBytes);
    }

    // --- values

    private static Duration duration(Problems problems, String path, String value, String defaultValue, Duration min,
            Duration max) {
        String text = value == null ? defaultValue : value;
        Optional<Duration> d = Units.parseDuration(text);
        if (d.isEmpty()) {
            problems.error(path, "must be a duration such as 250ms, 5s, 10m, 2h or 2d (got " + text + ")");
            return Units.parseDuration(defaultValue).orElseThrow();
        }
        if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
            problems.error(path, "must be between " + Units.formatDuration(min) + " and " + Units.formatDuration(max)
                    + " (got " + text + ")");
        }
        return d.get();
    }

    private static int count(Problems problems, String path, Integer value, int defaultValue) {
        int v = value == null ? defaultValue : value;
        if (v < 1 || v > 1_000_000) {
            problems.error(path, "must be between 1 and 1000000 (got " + v + ")");
        }
        return v;
    }

    private static String prefix(String prefix) {
        return isBlank(prefix) ? DEFAULT_PREFIX : prefix;
    }

    private static String orDefault(String value, String defaultValue) {
        return isBlank(value) ? defaultValue : value;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
