package dev.aod.operator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.aod.config.AgentConfig;
import dev.aod.config.ConfigLoader;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.Units;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the operator's configuration file; every key is checked and every error named by its
 * path. A few settings can come from the environment instead: {@code AOD_NAMESPACE} (else
 * {@code POD_NAMESPACE}), {@code AOD_AGENT_IMAGE}, {@code AOD_LEADER_IDENTITY} (else
 * {@code HOSTNAME}).
 */
public final class OperatorConfigLoader {
    public static final String DEFAULT_NAMESPACE = "aod-system";
    public static final String DEFAULT_DATA_DIR = "/var/lib/aod";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();
    private static final Set<String> ROOT_KEYS = Set.of("namespace", "agent", "events", "nodeStatus", "leaderElection",
            "policies", "http", "reconcileThreads", "shutdownTimeout", "resyncPeriod");
    private static final Set<String> AGENT_KEYS = Set.of("daemonSetName", "image", "imagePullPolicy", "imagePullSecrets",
            "serviceAccountName", "securityProfile", "resources", "tolerations", "nodeSelector", "podAnnotations", "priorityClassName",
            "hostDataDir", "args", "ownerDeployment", "config");

    private final Map<String, String> env;
    private final List<String> errors = new ArrayList<>();

    private OperatorConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /** An invalid operator configuration, every error listed. */
    public static final class InvalidOperatorConfigException extends Exception {
        private final List<String> errors;

        InvalidOperatorConfigException(String source, List<String> errors) {
            super(source + " is invalid:\n  " + String.join("\n  ", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    public static OperatorConfig load(Path file, Map<String, String> env) throws InvalidOperatorConfigException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), env);
        } catch (IOException e) {
            throw new InvalidOperatorConfigException(file.toString(), List.of("(file): cannot be read: " + e.getMessage()));
        }
    }

    public static OperatorConfig parse(String yaml, String source, Map<String, String> env)
            throws InvalidOperatorConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidOperatorConfigException(source, List.of("(file): is not valid YAML: " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        OperatorConfigLoader loader = new OperatorConfigLoader(env);
        OperatorConfig config = loader.read(root);
        if (!loader.errors.isEmpty()) {
            throw new InvalidOperatorConfigException(source, loader.errors);
        }
        return config;
    }

    private OperatorConfig read(JsonNode root) {
        if (!root.isObject()) {
            errors.add("(file): must be a mapping");
            return null;
        }
        allowOnly(root, "", ROOT_KEYS);
        String namespace = string(root, "namespace").or(() -> env("AOD_NAMESPACE")).or(() -> env("POD_NAMESPACE"))
                .orElse(DEFAULT_NAMESPACE);
        OperatorConfig.Agent agent = agent(root.path("agent"));

        JsonNode ev = root.path("events");
        allowOnly(ev, "events", Set.of("maxAge", "maxCount"));
        OperatorConfig.Events events = new OperatorConfig.Events(
                duration(ev, "events.maxAge", Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofDays(3650)),
                integer(ev, "events.maxCount", 1000, 1, 1_000_000));

        JsonNode ns = root.path("nodeStatus");
        allowOnly(ns, "nodeStatus", Set.of("staleAfter"));
        Duration staleAfter = duration(ns, "nodeStatus.staleAfter", Duration.ofMinutes(5), Duration.ofSeconds(10),
                Duration.ofDays(1));

        JsonNode le = root.path("leaderElection");
        allowOnly(le, "leaderElection", Set.of("enabled", "leaseName", "identity", "leaseDuration", "renewDeadline",
                "retryPeriod"));
        OperatorConfig.LeaderElection leaderElection = new OperatorConfig.LeaderElection(
                bool(le, "leaderElection.enabled", true),
                string(le, "leaseName").orElse("aod-operator"),
                string(le, "identity").or(() -> env("AOD_LEADER_IDENTITY")).or(() -> env("HOSTNAME")).orElse(""),
                duration(le, "leaderElection.leaseDuration", Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofMinutes(5)),
                duration(le, "leaderElection.renewDeadline", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5)),
                duration(le, "leaderElection.retryPeriod", Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(1)));
        if (leaderElection.renewDeadline().compareTo(leaderElection.leaseDuration()) >= 0) {
            errors.add("leaderElection.renewDeadline: must be shorter than leaseDuration");
        }

        JsonNode policies = root.path("policies");
        allowOnly(policies, "policies", Set.of("labelSelector"));
        JsonNode http = root.path("http");
        allowOnly(http, "http", Set.of("port"));
        return new OperatorConfig(namespace, agent, events, staleAfter, leaderElection,
                string(policies, "labelSelector").orElse(""),
                integer(http, "http.port", 8080, 0, 65535),
                integer(root, "reconcileThreads", 4, 1, 64),
                duration(root, "shutdownTimeout", Duration.ofSeconds(20), Duration.ZERO, Duration.ofMinutes(10)),
                duration(root, "resyncPeriod", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1)));
    }

    private OperatorConfig.Agent agent(JsonNode a) {
        allowOnly(a, "agent", AGENT_KEYS);
        Optional<String> image = string(a, "image").or(() -> env("AOD_AGENT_IMAGE"));
        if (image.isEmpty()) {
            errors.add("agent.image: is required (or set AOD_AGENT_IMAGE)");
        }
        String profileKey = string(a, "securityProfile").orElse(SecurityProfile.LEAST_PRIVILEGED.key());
        SecurityProfile profile = SecurityProfile.LEAST_PRIVILEGED;
        boolean known = false;
        for (SecurityProfile p : SecurityProfile.values()) {
            if (p.key().equals(profileKey)) {
                profile = p;
                known = true;
            }
        }
        if (!known) {
            errors.add("agent.securityProfile: must be privileged or leastPrivileged (got " + profileKey + ")");
        }
        String pullPolicy = string(a, "imagePullPolicy").orElse("IfNotPresent");
        if (!List.of("Always", "IfNotPresent", "Never").contains(pullPolicy)) {
            errors.add("agent.imagePullPolicy: must be Always, IfNotPresent or Never (got " + pullPolicy + ")");
        }
        ResourceRequirements resources = a.has("resources")
                ? convert(a.get("resources"), "agent.resources", ResourceRequirements.class)
                : null;
        if (resources == null) {
            resources = new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity("50m"))
                    .addToRequests("memory", new Quantity("256Mi"))
                    .addToLimits("memory", new Quantity("512Mi"))
                    .build();
        }
        List<Toleration> tolerations = new ArrayList<>();
        if (a.has("tolerations")) {
            JsonNode list = a.get("tolerations");
            if (!list.isArray()) {
                errors.add("agent.tolerations: must be a list of tolerations");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    Toleration t = convert(list.get(i), "agent.tolerations[" + i + "]", Toleration.class);
                    if (t != null) {
                        tolerations.add(t);
                    }
                }
            }
        } else {
            tolerations.add(new TolerationBuilder().withOperator("Exists").build());
        }
        Map<String, String> nodeSelector = a.has("nodeSelector") ? stringMap(a, "nodeSelector", "labels")
                : Map.of("kubernetes.io/os", "linux");
        Map<String, String> podAnnotations = a.has("podAnnotations") ? stringMap(a, "podAnnotations", "annotations")
                : Map.of();
        List<String> pullSecrets = strings(a, "agent.imagePullSecrets");
        List<String> args = a.has("args") ? strings(a, "agent.args") : List.of("run", "--kubernetes", "--host-root", "/host");
        String dataDir = string(a, "hostDataDir").orElse(DEFAULT_DATA_DIR);
        if (!dataDir.startsWith("/")) {
            errors.add("agent.hostDataDir: must be an absolute path");
        }
        return new OperatorConfig.Agent(
                string(a, "daemonSetName").orElse("aod-agent"),
                image.orElse(""),
                pullPolicy,
                pullSecrets,
                string(a, "serviceAccountName").orElse("aod-agent"),
                profile,
                resources,
                tolerations,
                nodeSelector,
                podAnnotations,
                string(a, "priorityClassName").orElse(""),
                dataDir,
                args,
                string(a, "ownerDeployment").orElse(""),
                baseConfig(a.path("config")));
    }

    private Map<String, String> stringMap(JsonNode a, String key, String what) {
        Map<String, String> map = new LinkedHashMap<>();
        if (!a.get(key).isObject()) {
            errors.add("agent." + key + ": must be a mapping of " + what + " to values");
        } else {
            a.get(key).properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        }
        return map;
    }

    /**
     * The AgentConfig every node's config starts from: the agent's defaults, with outputDir
     * {@value #DEFAULT_DATA_DIR} and metrics on 0.0.0.0:9464 so that they can be scraped, and
     * whatever {@code agent.config} sets, read and checked by the agent's own reader.
     */
    private AgentConfig baseConfig(JsonNode c) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("apiVersion", AgentConfig.API_VERSION);
        doc.put("kind", AgentConfig.KIND);
        doc.put("outputDir", DEFAULT_DATA_DIR);
        doc.putObject("metrics").put("address", "0.0.0.0").put("port", 9464);
        if (!c.isMissingNode()) {
            if (!c.isObject()) {
                errors.add("agent.config: must be a mapping (an AgentConfig without apiVersion and kind)");
                return null;
            }
            for (String forbidden : List.of("apiVersion", "kind", "node", "anomalies", "upload")) {
                if (c.has(forbidden)) {
                    errors.add("agent.config." + forbidden + ": is set per node by the operator (from AnomalyPolicies), "
                            + "not here");
                }
            }
            c.properties().forEach(e -> doc.set(e.getKey(), e.getValue()));
        }
        try {
            return ConfigLoader.parse(YAML.writeValueAsString(doc), "agent.config").config();
        } catch (InvalidConfigException e) {
            e.errors().forEach(err -> errors.add("agent.config." + err));
            return null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T convert(JsonNode node, String path, Class<T> type) {
        try {
            return KUBE.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            errors.add(path + ": is not a valid " + type.getSimpleName() + ": " + e.getMessage());
            return null;
        }
    }

    private void allowOnly(JsonNode node, String path, Set<String> keys) {
        if (node.isMissingNode()) {
            return;
        }
        if (!node.isObject()) {
            errors.add(path + ": must be a mapping");
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                errors.add((path.isEmpty() ? key : path + "." + key) + ": unknown key (known: "
                        + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
    }

    private Optional<String> env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<String> string(JsonNode node, String key) {
        JsonNode v = node.path(key);
        return v.isValueNode() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
    }

    private List<String> strings(JsonNode node, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = node.path(key);
        List<String> out = new ArrayList<>();
        if (v.isMissingNode()) {
            return out;
        }
        if (!v.isArray()) {
            errors.add(path + ": must be a list of strings");
            return out;
        }
        v.forEach(item -> out.add(item.asText()));
        return out;
    }

    private Duration duration(JsonNode node, String path, Duration defaultValue, Duration min, Duration max) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        Optional<Duration> d = Units.parseDuration(v.asText());
        if (d.isEmpty()) {
            errors.add(path + ": must be a duration such as 250ms, 5s, 10m, 2h or 2d (got " + v.asText() + ")");
            return defaultValue;
        }
        if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
            errors.add(path + ": must be between " + Units.formatDuration(min) + " and " + Units.formatDuration(max)
                    + " (got " + v.asText() + ")");
        }
        return d.get();
    }

    private int integer(JsonNode node, String path, int defaultValue, int min, int max) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            errors.add(path + ": must be an integer between " + min + " and " + max + " (got " + v.asText() + ")");
            return defaultValue;
        }
        return v.asInt();
    }

    private boolean bool(JsonNode node, String path, boolean defaultValue) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            errors.add(path + ": must be true or false (got " + v.asText() + ")");
            return defaultValue;
        }
        return v.asBoolean();
    }
}
