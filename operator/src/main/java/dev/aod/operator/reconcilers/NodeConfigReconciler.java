package dev.aod.operator.reconcilers;

import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.operator.OperatorMetrics;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.nodeconfig.NodeConfigRenderer;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Rendered;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Selected;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one node's rendered agent config: the ConfigMap {@code aod-node-<node>} in the agent
 * namespace, merged from every accepted policy that selects the node, present exactly while some
 * policy does. Label changes of the node, policy changes and edits or deletions of the ConfigMap
 * all lead here; a deleted node (no finalizer: the reconciler sees the delete event) takes its
 * config and its AnomalyPolicyNodes along. AnomalyPolicyNodes of policies no longer in the
 * node's config are removed.
 */
@ControllerConfiguration(name = NodeConfigReconciler.NAME, generationAwareEventProcessing = false,
        triggerReconcilerOnAllEvents = true)
public class NodeConfigReconciler implements Reconciler<Node> {
    public static final String NAME = "nodeconfig";
    static final String CONFIG_MAPS = "configmaps";
    private static final Logger LOG = LoggerFactory.getLogger(NodeConfigReconciler.class);

    private final OperatorConfig config;
    private final Selection selection;
    private final OperatorMetrics metrics;
    private final Map<String, Long> otherPolicies = new java.util.concurrent.ConcurrentHashMap<>();
    private final InFlight inFlight;

    NodeConfigReconciler(OperatorConfig config, Selection selection, OperatorMetrics metrics, InFlight inFlight) {
        this.config = config;
        this.selection = selection;
        this.metrics = metrics;
        this.inFlight = inFlight;
    }

    @Override
    public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
        InformerEventSourceConfiguration.Builder<AnomalyPolicy> policies =
                InformerEventSourceConfiguration.from(AnomalyPolicy.class, Node.class)
                        .withName(AnomalyPolicyReconciler.POLICIES)
                        .withSecondaryToPrimaryMapper(p -> allNodes(context));
        if (!config.policyLabelSelector().isEmpty()) {
            policies.withLabelSelector(config.policyLabelSelector());
        }
        InformerEventSource<ConfigMap, Node> configMaps = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ConfigMap.class, Node.class)
                        .withName(CONFIG_MAPS)
                        .withNamespaces(Set.of(config.namespace()))
                        .withLabelSelector(NodeConfig.COMPONENT_LABEL + "=" + NodeConfig.COMPONENT)
                        .withSecondaryToPrimaryMapper(cm -> {
                            String node = annotation(cm, NodeConfig.NODE_ANNOTATION);
                            return node == null ? Set.of() : Set.of(new ResourceID(node));
                        })
                        .build(), context);
        InformerEventSource<AnomalyPolicyNode, Node> policyNodes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(AnomalyPolicyNode.class, Node.class)
                        .withName(AnomalyPolicyReconciler.POLICY_NODES)
                        .withSecondaryToPrimaryMapper(apn -> apn.getSpec() == null || apn.getSpec().node() == null
                                ? Set.of() : Set.of(new ResourceID(apn.getSpec().node())))
                        .build(), context);
        return List.of(new InformerEventSource<>(policies.build(), context), configMaps, policyNodes);
    }

    private static Set<ResourceID> allNodes(EventSourceContext<Node> context) {
        return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
        if (!inFlight.enter()) {
            return UpdateControl.noUpdate();
        }
        try {
            return reconcileNow(node, context);
        } finally {
            inFlight.exit();
        }
    }

    private UpdateControl<Node> reconcileNow(Node node, Context<Node> context) {
        String name = node.getMetadata().getName();
        KubernetesClient client = context.getClient();
        InformerEventSource<ConfigMap, Node> configMaps = source(context, ConfigMap.class, CONFIG_MAPS);
        String cmName = NodeConfig.configMapName(name);
        ConfigMap current = configMaps.get(new ResourceID(cmName, config.namespace())).orElse(null);

        List<Selected> selected = context.isPrimaryResourceDeleted() ? List.of()
                : selection.policiesOf(node, NodeConfigReconciler.<AnomalyPolicy, Node>source(context,
                        AnomalyPolicy.class, AnomalyPolicyReconciler.POLICIES).list().toList());
        if (selected.isEmpty()) {
            if (current != null) {
                client.configMaps().inNamespace(config.namespace()).withName(cmName).delete();
                metrics.configWritten("delete");
                LOG.info("node {}: no policy selects it; removed {}", name, cmName);
            }
        } else {
            Rendered rendered = NodeConfigRenderer.render(config.agent().baseConfig(), name, selected);
            ConfigMap written = apply(client, node, cmName, current, rendered);
            if (written != null && current == null) {
                configMaps.handleRecentResourceCreate(ResourceID.fromResource(written), written);
            } else if (written != null) {
                configMaps.handleRecentResourceUpdate(ResourceID.fromResource(written), written, current);
            }
        }
        Set<String> kept = selected.stream().map(s -> s.policy().getMetadata().getName()).collect(Collectors.toSet());
        Set<String> mine = NodeConfigReconciler.<AnomalyPolicy, Node>source(context, AnomalyPolicy.class,
                AnomalyPolicyReconciler.POLICIES).list().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        InformerEventSource<AnomalyPolicyNode, Node> policyNodes =
                source(context, AnomalyPolicyNode.class, AnomalyPolicyReconciler.POLICY_NODES);
        policyNodes.list()
                .filter(apn -> apn.getSpec() != null && name.equals(apn.getSpec().node()))
                .filter(apn -> !kept.contains(apn.getSpec().policy()))
                .filter(apn -> mine.contains(apn.getSpec().policy()) || !policyExists(client, apn.getSpec().policy()))
                .forEach(apn -> {
                    client.resource(apn).delete();
                    LOG.info("node {}: removed AnomalyPolicyNode {} (policy {} no longer on this node)", name,
                            apn.getMetadata().getName(), apn.getSpec().policy());
                });
        sweepOrphans(context, client, configMaps, policyNodes);
        return UpdateControl.noUpdate();
    }

    /**
     * Whether a policy this operator does not handle exists (another operator's, with a different
     * policies.labelSelector): its AnomalyPolicyNodes are not this operator's to remove.
     */
    private boolean policyExists(KubernetesClient client, String policy) {
        long now = System.nanoTime();
        Long checked = otherPolicies.get(policy);
        if (checked != null && now - checked < java.util.concurrent.TimeUnit.MINUTES.toNanos(1)) {
            return true;
        }
        boolean exists = client.resources(AnomalyPolicy.class).withName(policy).get() != null;
        if (exists) {
            otherPolicies.put(policy, now);
        } else {
            otherPolicies.remove(policy);
        }
        return exists;
    }

    /** Creates or updates the node's ConfigMap when its content differs; null when nothing was written. */
    private ConfigMap apply(KubernetesClient client, Node node, String cmName, ConfigMap current, Rendered rendered) {
        String policies = NodeConfig.formatPolicies(rendered.policies());
        Map<String, String> data = Map.of(NodeConfig.CONFIG_KEY, rendered.yaml());
        if (current != null && data.equals(current.getData())
                && policies.equals(annotation(current, NodeConfig.POLICIES_ANNOTATION))
                && labelsPresent(current) && ownedBy(current, node)) {
            return null;
        }
        long generation = current == null ? 1 : parseLong(annotation(current, NodeConfig.GENERATION_ANNOTATION)) + 1;
        Map<String, String> annotations = new LinkedHashMap<>();
        if (current != null && current.getMetadata().getAnnotations() != null) {
            annotations.putAll(current.getMetadata().getAnnotations());
        }
        annotations.put(NodeConfig.NODE_ANNOTATION, node.getMetadata().getName());
        annotations.put(NodeConfig.GENERATION_ANNOTATION, Long.toString(generation));
        annotations.put(NodeConfig.POLICIES_ANNOTATION, policies);
        Map<String, String> labels = new LinkedHashMap<>();
        if (current != null && current.getMetadata().getLabels() != null) {
            labels.putAll(current.getMetadata().getLabels());
        }
        labels.put(NodeConfig.COMPONENT_LABEL, NodeConfig.COMPONENT);
        labels.put(NodeConfig.MANAGED_BY_LABEL, NodeConfig.MANAGED_BY);
        ConfigMapBuilder desired = (current == null ? new ConfigMapBuilder() : new ConfigMapBuilder(current))
                .editOrNewMetadata()
                    .withName(cmName)
                    .withNamespace(config.namespace())
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    // A Node owns its config: the garbage collector removes it with the node.
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                            .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build())
                .endMetadata()
                .withData(data);
        ConfigMap written;
        if (current == null) {
            written = client.resource(desired.build()).create();
            metrics.configWritten("create");
        } else {
            written = client.resource(desired.build()).update();
            metrics.configWritten("update");
        }
        LOG.info("node {}: wrote {} generation {} with policies {}", node.getMetadata().getName(), cmName, generation,
                rendered.policies().stream().map(p -> p.name() + "@" + p.generation()).toList());
        return written;
    }

    /** Configs and statuses of nodes that no longer exist: the garbage collector's job, done here as well. */
    private void sweepOrphans(Context<Node> context, KubernetesClient client, InformerEventSource<ConfigMap, Node> configMaps,
            InformerEventSource<AnomalyPolicyNode, Node> policyNodes) {
        Set<String> nodes = context.getPrimaryCache().list().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        configMaps.list()
                .filter(cm -> {
                    String node = annotation(cm, NodeConfig.NODE_ANNOTATION);
                    return node != null && !nodes.contains(node) && gone(client, node);
                })
                .forEach(cm -> {
                    client.resource(cm).delete();
                    metrics.configWritten("delete");
                    LOG.info("removed {}: node {} is gone", cm.getMetadata().getName(), annotation(cm, NodeConfig.NODE_ANNOTATION));
                });
        policyNodes.list()
                .filter(apn -> apn.getSpec() != null && apn.getSpec().node() != null && !nodes.contains(apn.getSpec().node()))
                .filter(apn -> gone(client, apn.getSpec().node()))
                .forEach(apn -> client.resource(apn).delete());
    }

    /** Asks the API server: a node missing from a cache may only not have reached it yet. */
    private static boolean gone(KubernetesClient client, String node) {
        return client.nodes().withName(node).get() == null;
    }

    private static boolean labelsPresent(ConfigMap cm) {
        Map<String, String> labels = cm.getMetadata().getLabels();
        return labels != null && NodeConfig.COMPONENT.equals(labels.get(NodeConfig.COMPONENT_LABEL))
                && NodeConfig.MANAGED_BY.equals(labels.get(NodeConfig.MANAGED_BY_LABEL));
    }

    private static boolean ownedBy(ConfigMap cm, Node node) {
        return cm.getMetadata().getOwnerReferences() != null && cm.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> "Node".equals(o.getKind()) && Objects.equals(o.getUid(), node.getMetadata().getUid()));
    }

    static String annotation(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @SuppressWarnings("unchecked")
    static <R extends io.fabric8.kubernetes.api.model.HasMetadata, P extends io.fabric8.kubernetes.api.model.HasMetadata>
            InformerEventSource<R, P> source(Context<P> context, Class<R> type, String name) {
        return (InformerEventSource<R, P>) context.eventSourceRetriever().getEventSourceFor(type, name);
    }
}
