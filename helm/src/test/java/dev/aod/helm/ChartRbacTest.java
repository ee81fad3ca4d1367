package dev.aod.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The operator gets exactly what its reconcilers do (docs/operator.md, "Permissions it needs"),
 * the agent what reporting on its node needs, nobody reads Secrets, and agents' writes are held to
 * their own node by a ValidatingAdmissionPolicy.
 */
class ChartRbacTest {
    private final Chart.Rendered chart = Chart.render(Chart.values());

    @Test
    void theOperatorHasLeastPrivilege() {
        assertThat(rules(chart.one(ClusterRole.class, "aod-operator").getRules())).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "aod.dev/anomalypolicies", "get,list,watch",
                "aod.dev/anomalypolicies/status", "update",
                "aod.dev/anomalypolicynodes", "delete,get,list,watch",
                "core/nodes", "get,list,watch",
                "core/namespaces", "get,list,watch",
                "authorization.k8s.io/selfsubjectrulesreviews", "create")));
        assertThat(rules(chart.one(Role.class, "aod-operator").getRules())).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "core/configmaps", "create,delete,get,list,update,watch",
                "apps/daemonsets", "create,get,list,update,watch",
                "apps/deployments[aod-operator]", "get",
                "aod.dev/anomalyevents", "delete,get,list,watch",
                "aod.dev/anomalyevents/status", "patch",
                "coordination.k8s.io/leases", "create",
                "coordination.k8s.io/leases[aod-operator]", "get,update")));
        assertBound(chart.one(ClusterRoleBinding.class, "aod-operator").getRoleRef(),
                chart.one(ClusterRoleBinding.class, "aod-operator").getSubjects(), "ClusterRole", "aod-operator");
        assertBound(chart.one(RoleBinding.class, "aod-operator").getRoleRef(),
                chart.one(RoleBinding.class, "aod-operator").getSubjects(), "Role", "aod-operator");
    }

    @Test
    void withoutLeaderElectionTheOperatorGetsNoLease() {
        Chart.Rendered r = Chart.render(Chart.values("operator.leaderElection.enabled", false));
        assertThat(rules(r.one(Role.class, "aod-operator").getRules())).doesNotContainKeys("coordination.k8s.io/leases",
                "coordination.k8s.io/leases[aod-operator]");
    }

    @Test
    void theAgentReadsConfigMapsAndWritesOnlyItsReports() {
        assertThat(rules(chart.one(ClusterRole.class, "aod-agent").getRules())).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "aod.dev/anomalypolicynodes", "create,delete,get",
                "aod.dev/anomalypolicynodes/status", "patch",
                "core/pods", "list",
                "core/persistentvolumes", "get")));
        assertThat(rules(chart.one(Role.class, "aod-agent").getRules())).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "core/configmaps", "get,list,watch",
                "aod.dev/anomalyevents", "create,get",
                "aod.dev/anomalyevents/status", "patch")));
        assertBound(chart.one(RoleBinding.class, "aod-agent").getRoleRef(),
                chart.one(RoleBinding.class, "aod-agent").getSubjects(), "Role", "aod-agent");
        assertBound(chart.one(ClusterRoleBinding.class, "aod-agent").getRoleRef(),
                chart.one(ClusterRoleBinding.class, "aod-agent").getSubjects(), "ClusterRole", "aod-agent");
    }

    @Test
    void noRoleHasWildcardsOrSecrets() {
        for (ClusterRole role : chart.all(ClusterRole.class)) {
            assertNarrow(role.getMetadata().getName(), role.getRules());
        }
        for (Role role : chart.all(Role.class)) {
            assertNarrow(role.getMetadata().getName(), role.getRules());
        }
    }

    @Test
    void agentsWritesAreHeldToTheirOwnNode() {
        ValidatingAdmissionPolicy policy = chart.one(ValidatingAdmissionPolicy.class, "aod-agent-own-node");
        var spec = policy.getSpec();
        assertThat(spec.getFailurePolicy()).isEqualTo("Fail");
        assertThat(spec.getMatchConstraints().getResourceRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("aod.dev");
            assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE", "DELETE");
            assertThat(rule.getResources()).containsExactlyInAnyOrder("anomalypolicynodes", "anomalypolicynodes/status",
                    "anomalyevents", "anomalyevents/status");
        });
        assertThat(spec.getMatchConditions()).singleElement().satisfies(m -> assertThat(m.getExpression())
                .isEqualTo("request.userInfo.username == \"system:serviceaccount:aod-system:aod-agent\""));
        assertThat(spec.getVariables()).anySatisfy(v -> assertThat(v.getExpression())
                .contains("request.userInfo.extra['authentication.kubernetes.io/node-name'][0]"));
        assertThat(spec.getValidations()).anySatisfy(v -> assertThat(v.getExpression())
                .contains("variables.target.spec.node == variables.node"));
        ValidatingAdmissionPolicyBinding binding = chart.one(ValidatingAdmissionPolicyBinding.class, "aod-agent-own-node");
        assertThat(binding.getSpec().getPolicyName()).isEqualTo("aod-agent-own-node");
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");

        Chart.Rendered off = Chart.render(Chart.values("agent.nodeScoping.admissionPolicy", false));
        assertThat(off.all(ValidatingAdmissionPolicy.class)).isEmpty();
        assertThat(off.all(ValidatingAdmissionPolicyBinding.class)).isEmpty();
    }

    /**
     * The policy's CEL, compiled and evaluated as the API server binds it (request, object,
     * oldObject, variables in order), on what an agent's requests look like.
     */
    @Test
    void theAdmissionPolicyAdmitsOnlyTheTokensOwnNode() throws Exception {
        var spec = chart.one(ValidatingAdmissionPolicy.class, "aod-agent-own-node").getSpec();
        String agent = "system:serviceaccount:aod-system:aod-agent";
        Map<String, Object> onA = Map.of("spec", Map.of("node", "node-a", "policy", "team-a"));
        Map<String, Object> onB = Map.of("spec", Map.of("node", "node-b", "policy", "team-a"));

        assertThat(admit(spec, request("CREATE", agent, "node-a"), onA, null)).isEmpty();
        assertThat(admit(spec, request("UPDATE", agent, "node-a"), onA, onA)).isEmpty();
        assertThat(admit(spec, request("DELETE", agent, "node-a"), null, onA)).isEmpty();
        assertThat(admit(spec, request("CREATE", agent, "node-a"), onB, null))
                .contains("an agent may write only objects of its own node, and its token is bound to node node-a");
        assertThat(admit(spec, request("DELETE", agent, "node-a"), null, onB)).isPresent();
        assertThat(admit(spec, request("CREATE", agent, null), onA, null))
                .contains("the agent's token names no node (a pod-bound service-account token is needed, Kubernetes 1.30+)");
        assertThat(admit(spec, request("CREATE", "system:serviceaccount:aod-system:aod-operator", null), onB, null))
                .as("not the agent: the policy does not apply").isEmpty();
    }

    private static Map<String, Object> request(String operation, String user, String node) {
        return Map.of("operation", operation, "userInfo", Map.of("username", user,
                "extra", node == null ? Map.of() : Map.of("authentication.kubernetes.io/node-name", List.of(node))));
    }

    /** Empty when admitted, else the denial's message. */
    private static Optional<String> admit(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicySpec spec,
            Map<String, Object> request, Object object, Object oldObject) throws Exception {
        Cel cel = CelFactory.standardCelBuilder().setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("request", SimpleType.DYN).addVar("object", SimpleType.DYN).addVar("oldObject", SimpleType.DYN)
                .addVar("variables", SimpleType.DYN).build();
        Map<String, Object> variables = new LinkedHashMap<>();
        Map<String, Object> vars = new LinkedHashMap<>(Map.of("request", request,
                "object", object == null ? NullValue.NULL_VALUE : object,
                "oldObject", oldObject == null ? NullValue.NULL_VALUE : oldObject, "variables", variables));
        for (var condition : spec.getMatchConditions()) {
            if (!Boolean.TRUE.equals(cel.createProgram(cel.compile(condition.getExpression()).getAst()).eval(vars))) {
                return Optional.empty();
            }
        }
        for (var variable : spec.getVariables()) {
            variables.put(variable.getName(), cel.createProgram(cel.compile(variable.getExpression()).getAst()).eval(vars));
        }
        for (var validation : spec.getValidations()) {
            if (!Boolean.TRUE.equals(cel.createProgram(cel.compile(validation.getExpression()).getAst()).eval(vars))) {
                return Optional.of(validation.getMessageExpression() == null ? validation.getMessage()
                        : String.valueOf(cel.createProgram(cel.compile(validation.getMessageExpression()).getAst()).eval(vars)));
            }
        }
        return Optional.empty();
    }

    private static void assertNarrow(String role, List<PolicyRule> rules) {
        for (PolicyRule rule : rules) {
            assertThat(rule.getVerbs()).as(role).doesNotContain("*", "escalate", "bind", "impersonate");
            assertThat(rule.getResources()).as(role).doesNotContain("*", "secrets", "pods/exec");
            assertThat(rule.getApiGroups()).as(role).doesNotContain("*");
            assertThat(rule.getNonResourceURLs()).as(role).isEmpty();
        }
    }

    private static void assertBound(RoleRef ref, List<Subject> subjects, String kind, String name) {
        assertThat(ref.getKind()).isEqualTo(kind);
        assertThat(ref.getName()).isEqualTo(name);
        assertThat(subjects).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(name);
            assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
        });
    }

    /** "group/resource[names]" → sorted verbs; one rule per key. */
    private static Map<String, String> rules(List<PolicyRule> rules) {
        Map<String, String> out = new TreeMap<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    String key = (group.isEmpty() ? "core" : group) + "/" + resource
                            + (rule.getResourceNames().isEmpty() ? "" : rule.getResourceNames().toString().replace(" ", ""));
                    assertThat(out).as("one rule for %s", key).doesNotContainKey(key);
                    out.put(key, String.join(",", rule.getVerbs().stream().sorted().toList()));
                }
            }
        }
        return out;
    }
}
