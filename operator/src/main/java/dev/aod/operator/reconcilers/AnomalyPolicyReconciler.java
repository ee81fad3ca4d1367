package dev.aod.operator.reconcilers;

import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyStatus;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.nodeconfig.NodeConfigRenderer;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Conflict;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Selected;
import dev.aod.operator.status.Conditions;
import dev.aod.operator.status.NodeRollUp;
import dev.aod.operator.status.NodeRollUp.NodeState;
import dev.aod.operator.status.NodeRollUp.Summary;
import dev.aod.operator.status.NodeRollUp.Verdict;
import dev.aod.operator.policy.Translation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Observes an AnomalyPolicy, validates it, works out the nodes it selects and rolls their
 * AnomalyPolicyNode statuses up into its status: conditions Accepted, Programmed and Degraded,
 * node counts, detector names. It writes nothing but the policy's status; the node configs are
 * the {@link NodeConfigReconciler}'s.
 */
@ControllerConfiguration(name = AnomalyPolicyReconciler.NAME)
public class AnomalyPolicyReconciler implements Reconciler<AnomalyPolicy> {
    public static final String NAME = "anomalypolicy";
    static final String NODES = "nodes";
    static final String POLICY_NODES = "policynodes";
    static final String POLICIES = "policies";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AnomalyPolicyReconciler.class);

    private final OperatorConfig config;
    private final Selection selection;
    private final Clock clock;
    private final InFlight inFlight;

    AnomalyPolicyReconciler(OperatorConfig config, Selection selection, Clock clock, InFlight inFlight) {
        this.config = config;
        this.selection = selection;
        this.clock = clock;
        this.inFlight = inFlight;
    }

    @Override
    public List<EventSource<?, AnomalyPolicy>> prepareEventSources(EventSourceContext<AnomalyPolicy> context) {
        InformerEventSource<Node, AnomalyPolicy> nodes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Node.class, AnomalyPolicy.class)
                        .withName(NODES)
                        .withSecondaryToPrimaryMapper(node -> allPolicies(context))
                        .build(), context);
        InformerEventSource<AnomalyPolicyNode, AnomalyPolicy> policyNodes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(AnomalyPolicyNode.class, AnomalyPolicy.class)
                        .withName(POLICY_NODES)
                        .withSecondaryToPrimaryMapper(apn -> apn.getSpec() == null || apn.getSpec().policy() == null
                                ? Set.of() : Set.of(new ResourceID(apn.getSpec().policy())))
                        .build(), context);
        // Other policies matter for the conflicts of node-level settings: their spec changes and deletions.
        InformerEventSourceConfiguration.Builder<AnomalyPolicy> others =
                InformerEventSourceConfiguration.from(AnomalyPolicy.class, AnomalyPolicy.class)
                        .withName(POLICIES)
                        .withOnUpdateFilter((updated, old) -> !java.util.Objects.equals(updated.getMetadata().getGeneration(),
                                old.getMetadata().getGeneration()))
                        .withSecondaryToPrimaryMapper(p -> allPolicies(context));
        if (!config.policyLabelSelector().isEmpty()) {
            others.withLabelSelector(config.policyLabelSelector());
        }
        return List.of(nodes, policyNodes, new InformerEventSource<>(others.build(), context));
    }

    private static Set<ResourceID> allPolicies(EventSourceContext<AnomalyPolicy> context) {
        return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<AnomalyPolicy> reconcile(AnomalyPolicy policy, Context<AnomalyPolicy> context) {
        if (!inFlight.enter()) {
            return UpdateControl.noUpdate();
        }
        try {
            return reconcileNow(policy, context);
        } finally {
            inFlight.exit();
        }
    }

    private UpdateControl<AnomalyPolicy> reconcileNow(AnomalyPolicy policy, Context<AnomalyPolicy> context) {
        Instant now = clock.instant();
        long generation = policy.getMetadata().getGeneration() == null ? 0 : policy.getMetadata().getGeneration();
        AnomalyPolicyStatus old = policy.getStatus();
        List<Condition> previous = old == null ? List.of() : old.conditions();
        Translation translation = selection.translate(policy);

        List<Node> nodes = nodes(context);
        List<String> selected = nodes.stream().filter(n -> selection.selects(policy, n))
                .map(n -> n.getMetadata().getName()).sorted().toList();

        Verdict accepted;
        Verdict programmed;
        Verdict degraded;
        int programmedNodes = 0;
        int failedNodes = 0;
        int pendingNodes = 0;
        Duration recheck = null;
        if (!translation.accepted()) {
            accepted = new Verdict(Conditions.FALSE, "Invalid", String.join("; ", translation.errors()));
            programmed = new Verdict(Conditions.FALSE, "NotAccepted", "the spec is invalid; see the Accepted condition");
            degraded = new Verdict(Conditions.FALSE, "NotAccepted", "");
        } else if (policy.getSpec().suspended()) {
            accepted = valid();
            programmed = new Verdict(Conditions.FALSE, "Suspended", "spec.suspend is true: no node runs this policy");
            degraded = new Verdict(Conditions.FALSE, "Suspended", "");
        } else if (selected.isEmpty()) {
            accepted = valid();
            boolean anyAgent = nodes.stream().anyMatch(selection::runsAgent);
            programmed = new Verdict(Conditions.FALSE, "NoMatchingNodes", anyAgent ? "selector matches no node"
                    : "selector matches no node (no node matches the agent's nodeSelector)");
            degraded = new Verdict(Conditions.FALSE, "AsExpected", "");
        } else {
            accepted = valid();
            Map<String, AnomalyPolicyNode> statuses = policyNodes(context, policy.getMetadata().getName());
            List<NodeState> states = new ArrayList<>();
            for (String node : selected) {
                states.add(NodeRollUp.state(node, statuses.get(node), generation, now, config.nodeStatusStaleAfter()));
            }
            Summary summary = NodeRollUp.summarize(states, generation, conflicts(policy, nodes, selected, context));
            programmed = summary.programmedCondition();
            degraded = summary.degradedCondition();
            programmedNodes = summary.programmed();
            failedNodes = summary.failed();
            pendingNodes = summary.pending();
            recheck = config.nodeStatusStaleAfter().dividedBy(2);
        }

        List<Condition> conditions = List.of(
                condition(previous, AnomalyPolicyStatus.ACCEPTED, accepted, generation, now),
                condition(previous, AnomalyPolicyStatus.PROGRAMMED, programmed, generation, now),
                condition(previous, AnomalyPolicyStatus.DEGRADED, degraded, generation, now));
        AnomalyPolicyStatus status = new AnomalyPolicyStatus(generation, conditions, selected.size(), programmedNodes,
                failedNodes, pendingNodes, translation.detectorNames());
        if (!status.equals(old)) {
            // A replace with optimistic locking whose result goes into JOSDK's cache: a JSON patch computed
            // against a cache that has not seen the previous write yet would lose fields of that write.
            PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(policy, context, p -> {
                p.setStatus(status);
                return p;
            });
            LOG.info("policy {} generation {}: Accepted={}, Programmed={}/{}, {} of {} nodes programmed",
                    policy.getMetadata().getName(), generation, accepted.status(), programmed.status(), programmed.reason(),
                    programmedNodes, selected.size());
        }
        UpdateControl<AnomalyPolicy> control = UpdateControl.noUpdate();
        return recheck == null ? control : control.rescheduleAfter(recheck);
    }

    private static Verdict valid() {
        return new Verdict(Conditions.TRUE, "Valid", "the spec is valid");
    }

    private static Condition condition(List<Condition> previous, String type, Verdict v, long generation, Instant now) {
        return Conditions.make(previous, type, v.status(), v.reason(), v.message(), generation, now);
    }

    /** Nodes where this policy's upload or retention is not used because an older policy sets it differently. */
    private Map<String, List<Conflict>> conflicts(AnomalyPolicy policy, List<Node> nodes, List<String> selected,
            Context<AnomalyPolicy> context) {
        if (policy.getSpec().upload() == null && policy.getSpec().retention() == null) {
            return Map.of();
        }
        // The informer whose events report other policies' changes, so that a deletion it reported is seen here.
        List<AnomalyPolicy> all = NodeConfigReconciler.<AnomalyPolicy, AnomalyPolicy>source(context, AnomalyPolicy.class,
                POLICIES).list().toList();
        Map<String, List<Conflict>> out = new TreeMap<>();
        for (Node node : nodes) {
            if (!selected.contains(node.getMetadata().getName())) {
                continue;
            }
            List<Selected> onNode = selection.policiesOf(node, all);
            List<Conflict> c = NodeConfigRenderer.conflicts(policy.getMetadata().getName(), onNode);
            if (!c.isEmpty()) {
                out.put(node.getMetadata().getName(), c);
            }
        }
        return out;
    }

    private static List<Node> nodes(Context<AnomalyPolicy> context) {
        @SuppressWarnings("unchecked")
        InformerEventSource<Node, AnomalyPolicy> source = (InformerEventSource<Node, AnomalyPolicy>) context
                .eventSourceRetriever().getEventSourceFor(Node.class, NODES);
        return source.list().sorted(Comparator.comparing(n -> n.getMetadata().getName())).toList();
    }

    private static Map<String, AnomalyPolicyNode> policyNodes(Context<AnomalyPolicy> context, String policy) {
        @SuppressWarnings("unchecked")
        InformerEventSource<AnomalyPolicyNode, AnomalyPolicy> source =
                (InformerEventSource<AnomalyPolicyNode, AnomalyPolicy>) context.eventSourceRetriever()
                        .getEventSourceFor(AnomalyPolicyNode.class, POLICY_NODES);
        Map<String, AnomalyPolicyNode> out = new HashMap<>();
        source.list().filter(apn -> apn.getSpec() != null && policy.equals(apn.getSpec().policy()))
                .forEach(apn -> out.put(apn.getSpec().node(), apn));
        return out;
    }
}
