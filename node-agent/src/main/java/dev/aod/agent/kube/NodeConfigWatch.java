package dev.aod.agent.kube;

import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.api.v1alpha1.NodeConfig.PolicyGeneration;
import dev.aod.config.ConfigLoader;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.LoadedConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows this node's ConfigMap ({@code aod-node-<node>} in the agent namespace) and nothing else.
 * A new valid config is applied without restarting; an invalid one is rejected with every error and
 * the last good one keeps running. When the ConfigMap goes (no policy selects the node any more)
 * the agent falls back to its idle config. The informer reconnects by itself after the API server
 * was away and delivers what changed meanwhile.
 */
public final class NodeConfigWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeConfigWatch.class);

    private final KubernetesClient client;
    private final KubeSettings settings;
    private final AgentBinding agent;
    private final LoadedConfig idle;
    private final String name;
    private final List<Consumer<NodeConfigState>> listeners = new CopyOnWriteArrayList<>();
    private volatile NodeConfigState state = NodeConfigState.NONE;
    private String lastSeen;
    private SharedIndexInformer<ConfigMap> informer;

    public NodeConfigWatch(KubernetesClient client, KubeSettings settings, AgentBinding agent, LoadedConfig idle) {
        this.client = client;
        this.settings = settings;
        this.agent = agent;
        this.idle = idle;
        this.name = NodeConfig.configMapName(settings.node());
    }

    /** The ConfigMap's name. */
    public String configMapName() {
        return name;
    }

    public NodeConfigState state() {
        return state;
    }

    /** Told after every change of {@link #state()}. */
    public void onChange(Consumer<NodeConfigState> listener) {
        listeners.add(listener);
    }

    /** Records the config the agent started with (read by {@link #read} before the agent was built). */
    public synchronized void started(Initial initial) {
        if (initial.configMap() != null) {
            lastSeen = fingerprint(initial.configMap());
        }
        state = initial.state();
    }

    /** The config the agent starts with, read once before it is built. */
    public record Initial(LoadedConfig config, NodeConfigState state, ConfigMap configMap) {}

    /**
     * Reads the ConfigMap once: its config when it is there and valid, else {@code fallback}. Never
     * throws: an unreachable API server or a bad ConfigMap is logged, and the watch catches up.
     */
    public Initial read(LoadedConfig fallback) {
        ConfigMap cm;
        try {
            cm = client.configMaps().inNamespace(settings.namespace()).withName(name).get();
        } catch (RuntimeException e) {
            log.warn("cannot read ConfigMap {}/{} at start ({}); starting idle, the watch applies it when the API "
                    + "server answers", settings.namespace(), name, e.getMessage());
            return new Initial(fallback, NodeConfigState.NONE, null);
        }
        if (cm == null) {
            log.info("no ConfigMap {}/{} yet (no AnomalyPolicy selects this node): idle until one does",
                    settings.namespace(), name);
            return new Initial(fallback, NodeConfigState.NONE, null);
        }
        Parsed parsed = parse(cm);
        if (!parsed.errors().isEmpty()) {
            parsed.errors().forEach(e -> log.error("node config rejected: {}", e));
            return new Initial(fallback, NodeConfigState.NONE.rejected(parsed.generation(), parsed.policies(),
                    parsed.errors()), cm);
        }
        log.info("node config generation {} from ConfigMap {}/{}", parsed.generation(), settings.namespace(), name);
        return new Initial(parsed.config(), NodeConfigState.NONE.applied(parsed.config(), parsed.generation(),
                parsed.policies()), cm);
    }

    public void start() {
        informer = client.configMaps().inNamespace(settings.namespace()).withName(name)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap cm) {
                        handle(cm);
                    }

                    @Override
                    public void onUpdate(ConfigMap old, ConfigMap cm) {
                        handle(cm);
                    }

                    @Override
                    public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                        handle(null);
                    }
                }, 0);
    }

    /** Applies or rejects one observed state of the ConfigMap; null when it is gone. */
    synchronized void handle(ConfigMap cm) {
        String fingerprint = cm == null ? null : fingerprint(cm);
        if (Objects.equals(fingerprint, lastSeen)) {
            return;
        }
        lastSeen = fingerprint;
        if (cm == null) {
            log.info("ConfigMap {}/{} removed: no AnomalyPolicy selects this node; the agent idles", settings.namespace(),
                    name);
            apply(idle, 0, List.of());
            return;
        }
        Parsed parsed = parse(cm);
        if (!parsed.errors().isEmpty()) {
            reject(parsed, parsed.errors());
            return;
        }
        apply(parsed.config(), parsed.generation(), parsed.policies());
    }

    private void apply(LoadedConfig config, long generation, List<PolicyGeneration> policies) {
        try {
            agent.apply(config);
        } catch (IOException | RuntimeException e) {
            reject(new Parsed(config, generation, policies, List.of()), List.of("the config could not be applied: " + e));
            return;
        }
        log.info("node config generation {} applied ({} policies)", generation, policies.size());
        setState(state.applied(config, generation, policies));
    }

    private void reject(Parsed parsed, List<String> errors) {
        log.error("node config generation {} rejected, generation {} keeps running: {}", parsed.generation(),
                state.appliedGeneration(), String.join("; ", errors));
        agent.rejected(errors);
        setState(state.rejected(parsed.generation() == 0 ? -1 : parsed.generation(), parsed.policies(), errors));
    }

    private void setState(NodeConfigState next) {
        state = next;
        listeners.forEach(l -> l.accept(next));
    }

    private record Parsed(LoadedConfig config, long generation, List<PolicyGeneration> policies, List<String> errors) {}

    private Parsed parse(ConfigMap cm) {
        String where = "ConfigMap " + settings.namespace() + "/" + name;
        List<String> errors = new ArrayList<>();
        Map<String, String> annotations = cm.getMetadata().getAnnotations() == null ? Map.of()
                : cm.getMetadata().getAnnotations();
        long generation = 0;
        String g = annotations.get(NodeConfig.GENERATION_ANNOTATION);
        if (g == null) {
            errors.add(where + ": annotation " + NodeConfig.GENERATION_ANNOTATION + " is missing");
        } else {
            try {
                generation = Long.parseLong(g.strip());
                if (generation < 1) {
                    errors.add(where + ": annotation " + NodeConfig.GENERATION_ANNOTATION + " must be at least 1 (got \""
                            + g + "\")");
                }
            } catch (NumberFormatException e) {
                errors.add(where + ": annotation " + NodeConfig.GENERATION_ANNOTATION + " is not a number (got \"" + g
                        + "\")");
            }
        }
        List<PolicyGeneration> policies = List.of();
        try {
            policies = NodeConfig.parsePolicies(annotations.get(NodeConfig.POLICIES_ANNOTATION));
        } catch (IllegalArgumentException e) {
            errors.add(where + ": annotation " + e.getMessage() + " (got \""
                    + annotations.get(NodeConfig.POLICIES_ANNOTATION) + "\")");
        }
        String yaml = cm.getData() == null ? null : cm.getData().get(NodeConfig.CONFIG_KEY);
        LoadedConfig config = null;
        if (yaml == null) {
            errors.add(where + ": data." + NodeConfig.CONFIG_KEY + " is missing");
        } else {
            try {
                config = ConfigLoader.parse(yaml, where + " data." + NodeConfig.CONFIG_KEY);
                if (!config.config().node().isEmpty() && !config.config().node().equals(settings.node())) {
                    errors.add(where + ": node is \"" + config.config().node() + "\", but this agent runs on \""
                            + settings.node() + "\"");
                }
            } catch (InvalidConfigException e) {
                e.errors().forEach(err -> errors.add(e.source() + ": " + err));
            }
        }
        return new Parsed(config, generation, policies, errors);
    }

    private static String fingerprint(ConfigMap cm) {
        Map<String, String> a = cm.getMetadata().getAnnotations() == null ? Map.of() : cm.getMetadata().getAnnotations();
        return a.get(NodeConfig.GENERATION_ANNOTATION) + "\n" + a.get(NodeConfig.POLICIES_ANNOTATION) + "\n"
                + (cm.getData() == null ? null : cm.getData().get(NodeConfig.CONFIG_KEY));
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
