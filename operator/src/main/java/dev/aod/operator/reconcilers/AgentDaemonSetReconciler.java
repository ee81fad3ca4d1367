package dev.aod.operator.reconcilers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.AnomalyPolicySpec;
import dev.aod.operator.agent.AgentDaemonSet;
import dev.aod.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the agent DaemonSet. Its primary resource is the agent namespace, which always exists, so
 * that a missing DaemonSet is created and a deleted one recreated. The DaemonSet is rewritten
 * when any field the operator sets differs from what runs (fields the API server adds by default
 * are left alone), so configuration changes and hand edits both converge to the desired state.
 */
@ControllerConfiguration(name = AgentDaemonSetReconciler.NAME, generationAwareEventProcessing = false)
public class AgentDaemonSetReconciler implements Reconciler<Namespace> {
    public static final String NAME = "agentdaemonset";
    static final String DAEMON_SETS = "daemonsets";
    private static final Logger LOG = LoggerFactory.getLogger(AgentDaemonSetReconciler.class);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final OperatorConfig config;
    private final Selection selection;
    private final InFlight inFlight;

    AgentDaemonSetReconciler(OperatorConfig config, Selection selection, InFlight inFlight) {
        this.config = config;
        this.selection = selection;
        this.inFlight = inFlight;
    }

    @Override
    public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> context) {
        ResourceID namespace = new ResourceID(config.namespace());
        InformerEventSource<DaemonSet, Namespace> daemonSets = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(DaemonSet.class, Namespace.class)
                        .withName(DAEMON_SETS)
                        .withNamespaces(Set.of(config.namespace()))
                        .withLabelSelector(AgentDaemonSet.APP_LABEL + "=" + AgentDaemonSet.APP)
                        .withSecondaryToPrimaryMapper(ds -> Set.of(namespace))
                        .build(), context);
        InformerEventSourceConfiguration.Builder<AnomalyPolicy> policies =
                InformerEventSourceConfiguration.from(AnomalyPolicy.class, Namespace.class)
                        .withName(AnomalyPolicyReconciler.POLICIES)
                        .withSecondaryToPrimaryMapper(p -> Set.of(namespace));
        if (!config.policyLabelSelector().isEmpty()) {
            policies.withLabelSelector(config.policyLabelSelector());
        }
        return List.of(daemonSets, new InformerEventSource<>(policies.build(), context));
    }

    @Override
    public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
        if (!inFlight.enter()) {
            return UpdateControl.noUpdate();
        }
        try {
            return reconcileNow(namespace, context);
        } finally {
            inFlight.exit();
        }
    }

    private UpdateControl<Namespace> reconcileNow(Namespace namespace, Context<Namespace> context) {
        if (!config.namespace().equals(namespace.getMetadata().getName())) {
            return UpdateControl.noUpdate();
        }
        List<AnomalyPolicySpec> specs = NodeConfigReconciler.<AnomalyPolicy, Namespace>source(context,
                        AnomalyPolicy.class, AnomalyPolicyReconciler.POLICIES).list()
                .filter(p -> p.getSpec() != null && !p.getSpec().suspended())
                .filter(p -> selection.translate(p).accepted())
                .map(AnomalyPolicy::getSpec)
                .toList();
        DaemonSet desired = AgentDaemonSet.desired(config, AgentDaemonSet.mountsOf(specs));
        KubernetesClient client = context.getClient();
        ownerReference(client).ifPresent(o -> desired.getMetadata().setOwnerReferences(List.of(o)));

        InformerEventSource<DaemonSet, Namespace> daemonSets =
                NodeConfigReconciler.source(context, DaemonSet.class, DAEMON_SETS);
        DaemonSet current = daemonSets.get(new ResourceID(config.agent().daemonSetName(), config.namespace())).orElse(null);
        if (current == null) {
            DaemonSet created = client.resource(desired).create();
            daemonSets.handleRecentResourceCreate(ResourceID.fromResource(created), created);
            LOG.info("created DaemonSet {}/{} ({}, image {})", config.namespace(), config.agent().daemonSetName(),
                    config.agent().securityProfile().key(), config.agent().image());
        } else if (!containsAll(JSON.convertValue(current, JsonNode.class), JSON.convertValue(desired, JsonNode.class))) {
            Map<String, String> labels = new LinkedHashMap<>(nullToEmpty(current.getMetadata().getLabels()));
            labels.putAll(desired.getMetadata().getLabels());
            DaemonSet updated = new DaemonSetBuilder(current)
                    .editMetadata()
                        .withLabels(labels)
                        .withOwnerReferences(desired.getMetadata().getOwnerReferences())
                    .endMetadata()
                    .withSpec(desired.getSpec())
                    .build();
            DaemonSet written = client.resource(updated).update();
            daemonSets.handleRecentResourceUpdate(ResourceID.fromResource(written), written, current);
            LOG.info("updated DaemonSet {}/{} to the desired state", config.namespace(), config.agent().daemonSetName());
        }
        return UpdateControl.noUpdate();
    }

    private java.util.Optional<OwnerReference> ownerReference(KubernetesClient client) {
        String owner = config.agent().ownerDeployment();
        if (owner.isEmpty()) {
            return java.util.Optional.empty();
        }
        Deployment d = client.apps().deployments().inNamespace(config.namespace()).withName(owner).get();
        if (d == null) {
            LOG.warn("agent.ownerDeployment {}/{} not found: the DaemonSet gets no owner", config.namespace(), owner);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(owner).withUid(d.getMetadata().getUid()).build());
    }

    /**
     * Whether every field of {@code desired} is in {@code actual} with the same value: what the
     * API server adds (defaults, status, managed fields) does not count; lists must match item
     * by item and in length.
     */
    static boolean containsAll(JsonNode actual, JsonNode desired) {
        if (desired.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : desired.properties()) {
                if (!actual.has(e.getKey()) || !containsAll(actual.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (!actual.isArray() || actual.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!containsAll(actual.get(i), desired.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return desired.equals(actual) || desired.isNumber() && actual.isNumber()
                && desired.decimalValue().compareTo(actual.decimalValue()) == 0;
    }

    private static Map<String, String> nullToEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
