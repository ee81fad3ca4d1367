package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;

/**
 * The contract between the operator and the node agents for a node's rendered configuration:
 * one ConfigMap per node in the agent namespace, its {@link #CONFIG_KEY} holding the AgentConfig
 * YAML the standalone agent reads.
 */
public final class NodeConfig {
    public static final String CONFIG_KEY = "config.yaml";
    /** The full node name (a label value could not hold every node name). */
    public static final String NODE_ANNOTATION = "aod.dev/node";
    /** Increases whenever the rendered config changes; the agent reports it as configGeneration. */
    public static final String GENERATION_ANNOTATION = "aod.dev/config-generation";
    /** The policies in the config, as JSON [{name, uid, generation}]; the agent reports the generation it runs. */
    public static final String POLICIES_ANNOTATION = "aod.dev/policies";
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    public static final String COMPONENT = "node-config";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "aod-operator";
    /** Labels the agent puts on AnomalyEvents, for {@code kubectl get ae -l aod.dev/policy=...}. */
    public static final String NODE_LABEL = "aod.dev/node";
    public static final String POLICY_LABEL = "aod.dev/policy";

    private static final String PREFIX = "aod-node-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeConfig() {}

    /** {@code aod-node-<node>}, shortened with a hash for node names too long for it. */
    public static String configMapName(String node) {
        String name = PREFIX + node.toLowerCase(Locale.ROOT);
        if (name.length() <= 253) {
            return name;
        }
        String hash = AnomalyPolicyNode.sha256Hex(node).substring(0, 10);
        return name.substring(0, 253 - 11).replaceAll("[.-]+$", "") + "-" + hash;
    }

    /** One policy in a node's config. */
    public record PolicyGeneration(String name, String uid, long generation) {}

    public static String formatPolicies(List<PolicyGeneration> policies) {
        try {
            return JSON.writeValueAsString(policies);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<PolicyGeneration> parsePolicies(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<PolicyGeneration>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(POLICIES_ANNOTATION + " is not a JSON list of {name, uid, generation}", e);
        }
    }
}
