package dev.aod.operator.reconcilers;

import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.nodeconfig.NodeConfigRenderer;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Selected;
import dev.aod.operator.policy.NodeSelectors;
import dev.aod.operator.policy.Translation;
import dev.aod.operator.policy.Translations;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.List;

/** Which nodes run agents, and which policies are in a node's config: shared by the reconcilers. */
final class Selection {
    private final OperatorConfig config;
    private final Translations translations;

    Selection(OperatorConfig config, Translations translations) {
        this.config = config;
        this.translations = translations;
    }

    Translations translations() {
        return translations;
    }

    /** A node an agent runs on (the operator's agent.nodeSelector). */
    boolean runsAgent(Node node) {
        return NodeSelectors.matchesAll(config.agent().nodeSelector(), node);
    }

    boolean selects(AnomalyPolicy policy, Node node) {
        return runsAgent(node) && policy.getSpec() != null && NodeSelectors.matches(policy.getSpec().nodeSelector(), node);
    }

    /** The accepted, not suspended policies that select the node, oldest first: the node's config. */
    List<Selected> policiesOf(Node node, Collection<AnomalyPolicy> policies) {
        return policies.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getSpec() != null && !p.getSpec().suspended())
                .filter(p -> selects(p, node))
                .sorted(NodeConfigRenderer.ORDER)
                .map(p -> new Selected(p, translations.of(p)))
                .filter(s -> s.translation().accepted())
                .toList();
    }

    Translation translate(AnomalyPolicy policy) {
        return translations.of(policy);
    }
}
