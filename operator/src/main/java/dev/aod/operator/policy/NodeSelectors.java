package dev.aod.operator.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;

/** Which nodes a policy selects: metav1.LabelSelector semantics; absent or empty selects all. */
public final class NodeSelectors {
    private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    private NodeSelectors() {}

    public static boolean matches(LabelSelector selector, Node node) {
        return matches(selector, labels(node));
    }

    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        switch (r.getOperator()) {
            case "In":
                return value != null && values.contains(value);
            case "NotIn":
                return value == null || !values.contains(value);
            case "Exists":
                return value != null;
            case "DoesNotExist":
                return value == null;
            default:
                return false;
        }
    }

    /** A plain map selector (the operator's own agent.nodeSelector). */
    public static boolean matchesAll(Map<String, String> required, Node node) {
        Map<String, String> labels = labels(node);
        return required.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static void validate(LabelSelector selector, String path, Problems problems) {
        if (selector == null || selector.getMatchExpressions() == null) {
            return;
        }
        for (int i = 0; i < selector.getMatchExpressions().size(); i++) {
            LabelSelectorRequirement r = selector.getMatchExpressions().get(i);
            String at = path + ".matchExpressions[" + i + "]";
            if (r.getKey() == null || r.getKey().isEmpty()) {
                problems.error(at + ".key", "is required");
            }
            if (!OPERATORS.contains(r.getOperator())) {
                problems.error(at + ".operator", "must be one of " + String.join(", ", OPERATORS)
                        + " (got " + r.getOperator() + ")");
                continue;
            }
            boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
            if (r.getOperator().startsWith("In") || r.getOperator().equals("NotIn")) {
                if (!hasValues) {
                    problems.error(at + ".values", "must be non-empty for operator " + r.getOperator());
                }
            } else if (hasValues) {
                problems.error(at + ".values", "must be empty for operator " + r.getOperator());
            }
        }
    }

    private static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }
}
