package dev.aod.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.testing.KubeValidator;
import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.AnomalyPolicySpec;
import dev.aod.operator.agent.AgentDaemonSet;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.config.OperatorConfigLoader;
import dev.aod.operator.policy.PolicyTranslator;
import dev.aod.operator.policy.Translation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every meaningful values combination renders into manifests that Fabric8's typed model reads
 * without unknown fields; the operator's own loader accepts the configuration the chart gives it;
 * the default policy passes the CRD's schema and CEL rules and the operator's translation; every
 * Secret and claim a policy names is there.
 */
class ChartRenderTest {
    private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding", "AnomalyPolicy",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");

    static List<ChartCases> cases() {
        return ChartCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersIntoTheTypedModelWithoutUnknownFields(ChartCases c) {
        Chart.Rendered r = Chart.render(c.settings());

        assertThat(r.manifests()).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Chart.Manifest m : r.manifests()) {
            HasMetadata o = m.object();
            assertThat(o).as("%s: a typed object, not a generic one", m.source())
                    .isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
            UnknownFields.of(o).forEach(f -> problems.add(m.source() + " " + o.getKind() + "/" + o.getMetadata().getName()
                    + ": unknown field " + f));
            if (o instanceof AnomalyPolicy) {
                KubeValidator.forCrd("anomalypolicies").validate(m.yaml())
                        .forEach(e -> problems.add(m.source() + ": " + e));
            }
            boolean namespaced = o instanceof Namespaced && !CLUSTER_SCOPED.contains(o.getKind());
            assertThat(o.getMetadata().getNamespace()).as("%s namespace", m.source())
                    .isEqualTo(namespaced ? Chart.NAMESPACE : null);
            assertThat(o.getMetadata().getLabels()).as("%s labels", m.source())
                    .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm");
        }
        assertThat(problems).isEmpty();
        assertThat(r.names()).as("kind/name pairs are unique").doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theOperatorAcceptsItsConfigurationAndTheAgentsGetTheChartsServiceAccount(ChartCases c) throws Exception {
        Chart.Rendered r = Chart.render(c.settings());
        OperatorConfig config = OperatorConfigLoader.parse(r.operatorConfig(), "chart", Map.of());

        assertThat(config.namespace()).isEqualTo(Chart.NAMESPACE);
        assertThat(config.agent().ownerDeployment()).isEqualTo(r.one(Deployment.class, "aod-operator").getMetadata().getName());
        assertThat(config.leaderElection().leaseName()).isEqualTo("aod-operator");
        String agentAccount = config.agent().serviceAccountName();
        boolean created = !Boolean.FALSE.equals(dig(c.settings(), "agent", "serviceAccount", "create"));
        assertThat(r.find(ServiceAccount.class, agentAccount)).as("agent ServiceAccount rendered").matches(o -> o.isPresent() == created);
        String operatorAccount = r.one(Deployment.class, "aod-operator").getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(r.find(ServiceAccount.class, operatorAccount)).as("operator ServiceAccount rendered")
                .matches(o -> o.isPresent() == !Boolean.FALSE.equals(dig(c.settings(), "operator", "serviceAccount", "create")));

        List<AnomalyPolicy> policies = r.all(AnomalyPolicy.class);
        DaemonSet agents = AgentDaemonSet.desired(config, AgentDaemonSet.mountsOf(
                policies.stream().map(AnomalyPolicy::getSpec).toList()));
        assertThat(agents.getMetadata().getName()).isEqualTo("aod-agent");
        assertThat(agents.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(agentAccount);
        assertThat(UnknownFields.of(agents)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theDefaultPolicyIsAcceptedAndWhatItsUploadNamesIsThere(ChartCases c) throws Exception {
        Chart.Rendered r = Chart.render(c.settings());
        OperatorConfig config = OperatorConfigLoader.parse(r.operatorConfig(), "chart", Map.of());
        boolean enabled = Boolean.TRUE.equals(dig(c.settings(), "defaultPolicy", "enabled"));
        assertThat(r.all(AnomalyPolicy.class)).hasSize(enabled ? 1 : 0);

        for (AnomalyPolicy policy : r.all(AnomalyPolicy.class)) {
            policy.getMetadata().setGeneration(1L);
            Translation t = new PolicyTranslator(config.agent().baseConfig()).translate(policy);
            assertThat(t.errors()).as("the operator's translation of %s", policy.getMetadata().getName()).isEmpty();
            assertThat(t.detectorNames()).isNotEmpty();

            AnomalyPolicySpec spec = policy.getSpec();
            String target = String.valueOf(dig(c.settings(), "upload", "target"));
            AgentDaemonSet.Mounts mounts = AgentDaemonSet.mountsOf(List.of(spec));
            switch (target) {
                case "persistentVolumeClaim" -> {
                    String claim = spec.upload().persistentVolumeClaim().claimName();
                    assertThat(mounts.claims()).containsExactly(claim);
                    boolean create = !Boolean.FALSE.equals(dig(c.settings(), "upload", "persistentVolumeClaim", "create"));
                    assertThat(r.find(PersistentVolumeClaim.class, claim)).matches(o -> o.isPresent() == create);
                    r.find(PersistentVolumeClaim.class, claim).ifPresent(pvc -> assertThat(pvc.getSpec().getAccessModes())
                            .containsExactly("ReadWriteMany"));
                }
                case "azureBlob", "s3" -> {
                    Object existing = dig(c.settings(), "upload", target, "existingSecret");
                    boolean inline = dig(c.settings(), "upload", target, "sasToken") != null
                            || dig(c.settings(), "upload", target, "accessKeyId") != null;
                    if (existing != null) {
                        assertThat(mounts.secrets()).containsExactly((String) existing);
                        assertThat(r.all(Secret.class)).isEmpty();
                    } else if (inline) {
                        assertThat(mounts.secrets()).containsExactly("aod-upload");
                        Secret secret = r.one(Secret.class, "aod-upload");
                        assertThat(secret.getStringData()).isNotEmpty().doesNotContainValue("");
                    } else {
                        assertThat(mounts.secrets()).isEmpty();
                        assertThat(r.all(Secret.class)).isEmpty();
                    }
                }
                default -> assertThat(spec.upload()).isNull();
            }
        }
    }

    @Test
    void theNotesSayWhatToDoNext() {
        String plain = Chart.installOutput(Chart.values());
        assertThat(plain).contains("NOTES:", "kubectl apply -f -", "kind: AnomalyPolicy",
                "kubectl get anomalyevents -n aod-system", "kubectl -n aod-system get daemonset aod-agent",
                "The leastPrivileged profile takes no ftrace window");
        String withPolicy = Chart.installOutput(Chart.values("agent.securityProfile", "privileged",
                "defaultPolicy.enabled", true, "upload.target", "s3", "upload.s3.bucket", "b"));
        assertThat(withPolicy).contains("The policy aod-default watches SMB and NFS", "shipped to s3",
                "kubectl get anomalypolicy aod-default").doesNotContain("leastPrivileged profile takes");
    }

    @Test
    void aMisspelledFieldIsFound() {
        Chart.Manifest m = Chart.parse("""
                # Source: test
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x, namespace: aod-system}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    spec:
                      containers:
                        - name: c
                          securityContext: {readOnlyRootFileSystem: true}
                """).get(0);
        assertThat(UnknownFields.of(m.object()))
                .containsExactly("spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem");
    }

    /** The objects each profile renders, for the record (target/rendered-objects.md). */
    @Test
    void listsTheRenderedObjectsPerProfile() throws Exception {
        StringBuilder out = new StringBuilder("# Objects the chart renders\n");
        for (String profile : List.of("leastPrivileged", "privileged")) {
            Chart.Rendered r = Chart.render(Chart.values("agent.securityProfile", profile));
            OperatorConfig config = OperatorConfigLoader.parse(r.operatorConfig(), "chart", Map.of());
            DaemonSet ds = AgentDaemonSet.desired(config, new AgentDaemonSet.Mounts(List.of(), List.of()));
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "rendered-" + profile + ".yaml"), r.output());
            out.append("\n## ").append(profile).append(" (defaults)\n\n");
            r.names().forEach(n -> out.append("- ").append(n).append('\n'));
            out.append("- (created by the operator) DaemonSet/").append(ds.getMetadata().getName()).append(": ")
                    .append(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()).append('\n');
        }
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "rendered-objects.md"), out);
        assertThat(out).contains("Deployment/aod-operator", "ConfigMap/aod-operator");
    }

    @Test
    void aConfigurationChangeRollsTheOperatorAndNothingElseDoes() {
        String base = checksum(Chart.render(Chart.values()));
        assertThat(checksum(Chart.render(Chart.values("agent.securityProfile", "privileged")))).isNotEqualTo(base);
        assertThat(checksum(Chart.render(Chart.values("agent.image.tag", "0.2.0")))).isNotEqualTo(base);
        assertThat(checksum(Chart.render(Chart.values("events.maxCount", 50)))).isNotEqualTo(base);
        assertThat(checksum(Chart.render(Chart.values("metrics.dashboard.enabled", false)))).isEqualTo(base);
        assertThat(checksum(Chart.render(Chart.values()))).isEqualTo(base);
    }

    @Test
    void anUploadCredentialChangeRollsTheAgents() {
        Map<String, String> base = agentPodAnnotations(azure("sv=1&sig=a"));
        assertThat(base).containsKey("checksum/upload");

        assertThat(agentPodAnnotations(azure("sv=1&sig=b"))).isNotEqualTo(base);
        Map<String, Object> dashboardOff = azure("sv=1&sig=a");
        dashboardOff.put("metrics", Map.of("dashboard", Map.of("enabled", false)));
        assertThat(agentPodAnnotations(dashboardOff)).isEqualTo(base);
        assertThat(agentPodAnnotations(Chart.values("agent.podAnnotations", Map.of("team", "storage"))))
                .containsEntry("team", "storage").containsKey("checksum/upload");
    }

    private static Map<String, Object> azure(String sasToken) {
        return Chart.values("defaultPolicy.enabled", true, "upload.target", "azureBlob",
                "upload.azureBlob.accountUrl", ChartCases.AZURE_URL, "upload.azureBlob.sasToken", sasToken);
    }

    private static Map<String, String> agentPodAnnotations(Map<String, Object> values) {
        OperatorConfig config = ChartSecurityTest.operatorConfig(Chart.render(values));
        return AgentDaemonSet.desired(config, new AgentDaemonSet.Mounts(List.of(), List.of())).getSpec().getTemplate()
                .getMetadata().getAnnotations();
    }

    @Test
    void theDashboardConfigMapIsLabelledForGrafanasSidecar() {
        ConfigMap dashboard = Chart.render(Chart.values()).one(ConfigMap.class, "aod-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData()).containsKey("aod.json");
    }

    private static String checksum(Chart.Rendered r) {
        return r.one(Deployment.class, "aod-operator").getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/config");
    }

    static Object dig(Map<String, Object> values, String... path) {
        Object node = values;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }
}
