package dev.aod.agent.kube;

import dev.aod.api.v1alpha1.NodeConfig.PolicyGeneration;
import dev.aod.config.LoadedConfig;
import java.util.List;

/**
 * What the agent runs of its node's ConfigMap, and the newest one it turned down.
 *
 * @param applied the config running; null before the first ConfigMap was seen
 * @param appliedGeneration its aod.dev/config-generation; 0 while none was applied
 * @param appliedPolicies the policies in it (aod.dev/policies)
 * @param rejectedGeneration the generation of a newer ConfigMap that was rejected; 0 when none
 * @param rejectedPolicies the policies in the rejected ConfigMap
 * @param rejectedErrors why, each naming the field
 */
public record NodeConfigState(LoadedConfig applied, long appliedGeneration, List<PolicyGeneration> appliedPolicies,
        long rejectedGeneration, List<PolicyGeneration> rejectedPolicies, List<String> rejectedErrors) {

    public static final NodeConfigState NONE = new NodeConfigState(null, 0, List.of(), 0, List.of(), List.of());

    public NodeConfigState {
        appliedPolicies = List.copyOf(appliedPolicies);
        rejectedPolicies = List.copyOf(rejectedPolicies);
        rejectedErrors = List.copyOf(rejectedErrors);
    }

    public boolean isRejected() {
        return rejectedGeneration != 0 || !rejectedErrors.isEmpty();
    }

    NodeConfigState applied(LoadedConfig config, long generation, List<PolicyGeneration> policies) {
        return new NodeConfigState(config, generation, policies, 0, List.of(), List.of());
    }

    NodeConfigState rejected(long generation, List<PolicyGeneration> policies, List<String> errors) {
        return new NodeConfigState(applied, appliedGeneration, appliedPolicies, generation, policies, errors);
    }
}
