package dev.aod.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aod.api.testing.KubeValidator;
import dev.aod.api.v1alpha1.AnomalyEvent;
import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyNodeStatus;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.config.AgentConfig;
import dev.aod.config.ConfigLoader;
import dev.aod.operator.AodOperator;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One API server per test class ({@link TestApi}), one namespace per test, the operator started
 * and stopped by each test as its main would. Nodes and policies are cluster-scoped: each test
 * names them after its namespace and labels them {@code aod.dev/test=<namespace>}, and the
 * operator under test handles only those (policies.labelSelector, agent.nodeSelector).
 */
abstract class OperatorITSupport {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String TEST_LABEL = "aod.dev/test";
    static TestApi api;

    String ns;
    KubernetesClient client;
    final List<AodOperator> operators = new ArrayList<>();
    final AtomicInteger lostLeadership = new AtomicInteger();

    @BeforeAll
    static void startApi() {
        api = TestApi.start();
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    @BeforeEach
    void namespace() {
        client = api.client();
        ns = api.newNamespace();
    }

    @AfterEach
    void cleanUp() {
        operators.forEach(AodOperator::stop);
        operators.clear();
        String selector = TEST_LABEL + "=" + ns;
        client.resources(AnomalyPolicy.class).withLabelSelector(selector).delete();
        List<String> nodes = client.nodes().withLabelSelector(selector).list().getItems().stream()
                .map(n -> n.getMetadata().getName()).toList();
        client.resources(AnomalyPolicyNode.class).list().getItems().stream()
                .filter(apn -> apn.getSpec() != null && nodes.contains(apn.getSpec().node()))
                .forEach(apn -> client.resource(apn).delete());
        client.nodes().withLabelSelector(selector).delete();
        client.namespaces().withName(ns).delete();
    }

    // --- the operator

    /** The test's operator configuration; {@code agent} lines go under agent:, {@code extra} at the top level. */
    String configYaml(String agent, String extra) {
        String image = agent.contains("image:") ? "" : "image: registry.example/aod-agent:0.1.0\n";
        return ("namespace: %s\nagent:\n" + (image + "nodeSelector: {kubernetes.io/os: linux, %s: %s}\n" + agent).indent(2)
                + "policies: {labelSelector: %s=%s}\nhttp: {port: 0}\nresyncPeriod: 1m\n"
                + (extra.contains("leaderElection") ? "" : "leaderElection: {enabled: false}\n"))
                .formatted(ns, TEST_LABEL, ns, TEST_LABEL, ns) + extra;
    }

    OperatorConfig config(String agent, String extra) {
        try {
            return OperatorConfigLoader.parse(configYaml(agent, extra), "test", Map.of());
        } catch (OperatorConfigLoader.InvalidOperatorConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    AodOperator startOperator() {
        return startOperator(config("", ""), Clock.systemUTC());
    }

    AodOperator startOperator(OperatorConfig config, Clock clock) {
        AodOperator operator = new AodOperator(api.newClient(), config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                clock, lostLeadership::incrementAndGet);
        operator.start();
        operators.add(operator);
        return operator;
    }

    // --- objects, submitted as kubectl would: the mock server does not validate, so the CRD's checks run here

    String nodeName(String shortName) {
        return ns + "-" + shortName;
    }

    Node node(String shortName, String... labels) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(TEST_LABEL, ns);
        l.put("kubernetes.io/os", "linux");
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return client.resource(new NodeBuilder().withNewMetadata().withName(nodeName(shortName)).withLabels(l)
                .endMetadata().build()).create();
    }

    void label(String shortName, String key, String value) {
        client.nodes().withName(nodeName(shortName)).edit(n -> {
            if (value == null) {
                n.getMetadata().getLabels().remove(key);
            } else {
                n.getMetadata().getLabels().put(key, value);
            }
            return n;
        });
    }

    String policyName(String shortName) {
        return ns + "-" + shortName;
    }

    String policyYaml(String shortName, String spec) {
        return "apiVersion: aod.dev/v1alpha1\nkind: AnomalyPolicy\nmetadata:\n  name: " + policyName(shortName)
                + "\n  labels: {" + TEST_LABEL + ": " + ns + "}\nspec:\n" + spec.indent(2);
    }

    /** kubectl apply of a policy: submitted untyped, so that what the typed model cannot hold reaches the API too. */
    AnomalyPolicy apply(String shortName, String spec) {
        String yaml = policyYaml(shortName, spec);
        var policies = client.genericKubernetesResources("aod.dev/v1alpha1", "AnomalyPolicy");
        GenericKubernetesResource existing = policies.withName(policyName(shortName)).get();
        GenericKubernetesResource submitted = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        if (api.isMock()) {
            List<String> errors = existing == null ? validator("anomalypolicies").validate(yaml)
                    : validator("anomalypolicies").validateUpdate(yaml, Serialization.asYaml(existing));
            if (!errors.isEmpty()) {
                throw new KubernetesClientException("AnomalyPolicy " + policyName(shortName) + " is invalid: "
                        + String.join(", ", errors), 422, null);
            }
            submitted = Serialization.unmarshal(validator("anomalypolicies").withDefaults(KubeValidator.parse(yaml))
                    .toString(), GenericKubernetesResource.class);
        }
        if (existing == null) {
            policies.resource(submitted).create();
        } else {
            Object newSpec = submitted.getAdditionalProperties().get("spec");
            policies.withName(policyName(shortName)).edit(p -> {
                p.getAdditionalProperties().put("spec", newSpec);
                return p;
            });
        }
        return policy(shortName);
    }

    static KubeValidator validator(String plural) {
        return KubeValidator.forCrd(plural);
    }

    AnomalyPolicy policy(String shortName) {
        return client.resources(AnomalyPolicy.class).withName(policyName(shortName)).get();
    }

    void delete(String shortPolicyName) {
        client.resources(AnomalyPolicy.class).withName(policyName(shortPolicyName)).delete();
    }

    /** What a node's agent writes (issue 9): its AnomalyPolicyNode with a status. */
    AnomalyPolicyNode reportNode(String policyShort, String nodeShort, long generation, String programmed, String message,
            Instant heartbeat) {
        AnomalyPolicyNode apn = new AnomalyPolicyNode(policyName(policyShort), nodeName(nodeShort));
        AnomalyPolicyNode current = client.resource(apn).get();
        if (current == null) {
            current = client.resource(apn).create();
        }
        Condition c = new ConditionBuilder().withType(AnomalyPolicyNodeStatus.PROGRAMMED).withStatus(programmed)
                .withReason(programmed.equals("True") ? "ProbesAttached" : "ProbeFailed").withMessage(message)
                .withLastTransitionTime(heartbeat.toString()).build();
        current.setStatus(new AnomalyPolicyNodeStatus(generation, 1L, List.of(c), null, 1, 0L, null,
                heartbeat.toString(), "6.1.0-31-amd64", "0.1.0"));
        if (api.isMock()) {
            assertThat(validator("anomalypolicynodes").validate(Serialization.asYaml(current))).isEmpty();
        }
        return client.resource(current).updateStatus();
    }

    // --- what the operator wrote

    ConfigMap configMap(String nodeShort) {
        return client.configMaps().inNamespace(ns).withName(NodeConfig.configMapName(nodeName(nodeShort))).get();
    }

    AgentConfig agentConfig(String nodeShort) {
        try {
            return ConfigLoader.parse(configMap(nodeShort).getData().get(NodeConfig.CONFIG_KEY), "configmap").config();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    List<String> detectors(String nodeShort) {
        return agentConfig(nodeShort).anomalies().stream().map(a -> a.name()).toList();
    }

    /** Node (short) names that have a config in the namespace. */
    List<String> configuredNodes() {
        return client.configMaps().inNamespace(ns).withLabel(NodeConfig.COMPONENT_LABEL, NodeConfig.COMPONENT).list()
                .getItems().stream().map(cm -> cm.getMetadata().getAnnotations().get(NodeConfig.NODE_ANNOTATION))
                .map(n -> n.substring(ns.length() + 1)).sorted().collect(Collectors.toList());
    }

    Condition condition(String policyShort, String type) {
        AnomalyPolicy p = policy(policyShort);
        if (p == null || p.getStatus() == null || p.getStatus().conditions() == null) {
            return null;
        }
        return p.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
    }

    String conditionText(String policyShort, String type) {
        Condition c = condition(policyShort, type);
        return c == null ? null : c.getStatus() + "/" + c.getReason() + ": " + c.getMessage();
    }

    AnomalyEvent event(String name, Instant lastSeen) {
        String yaml = """
                apiVersion: aod.dev/v1alpha1
                kind: AnomalyEvent
                metadata: {name: %s, namespace: %s}
                spec: {node: w1, policy: p, anomaly: p.latency-smb, kind: Latency, protocol: SMB, server: s, share: d,
                       operation: SMB2_WRITE, threshold: 50ms}
                """.formatted(name, ns);
        AnomalyEvent created = client.resource(Serialization.unmarshal(yaml, AnomalyEvent.class)).create();
        created.setStatus(new dev.aod.api.v1alpha1.AnomalyEventStatus(1L, lastSeen.toString(), lastSeen.toString(), "1s",
                null, null, null, null));
        if (api.isMock()) {
            assertThat(validator("anomalyevents").validate(Serialization.asYaml(created))).isEmpty();
        }
        return client.resource(created).updateStatus();
    }

    List<String> events() {
        return client.resources(AnomalyEvent.class).inNamespace(ns).list().getItems().stream()
                .map(e -> e.getMetadata().getName()).sorted().toList();
    }

    static void eventually(Runnable assertion) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion::run);
    }
}
