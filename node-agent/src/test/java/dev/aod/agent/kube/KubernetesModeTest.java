package dev.aod.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.api.v1alpha1.AnomalyEvent;
import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyNodeStatus;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.api.v1alpha1.ProbeState;
import dev.aod.api.v1alpha1.ProbeStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes mode against Fabric8's mock API server: the node's ConfigMap in (hot reload, last good
 * kept), AnomalyPolicyNode statuses and AnomalyEvents out, and nothing lost while the API server is away.
 */
class KubernetesModeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static MockApi api;

    @TempDir
    java.nio.file.Path dir;
    private String ns;
    private FakeAgent agent;
    private KubernetesClient agentClient;
    private KubernetesMode mode;
    private final String node = "worker-1";

    @BeforeAll
    static void startApi() throws Exception {
        api = MockApi.start();
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        api.gate.reopen();
        ns = api.newNamespace();
        agent = new FakeAgent();
        agentClient = api.agentClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        api.gate.reopen();
        if (mode != null) {
            mode.close();
        }
        agentClient.close();
    }

    private void start(int queueCapacity) {
        KubeSettings settings = KubeSettings.of(node, ns).withTick(Duration.ofMillis(200))
                .withQueueCapacity(queueCapacity).withRetry(Duration.ofMillis(100), Duration.ofMillis(500));
        mode = new KubernetesMode(settings, agentClient, false);
        agent.applied.add(mode.initialConfig(null)); // AgentMain builds the agent with it
        mode.start(agent, null, Clock.systemUTC(), MonotonicClock.SYSTEM);
    }

    @Test
    void theNodesConfigMapIsAppliedAndItsPoliciesReportProgrammedWithTheirProbes() {
        configMap(node, 1, config("team-a", "smb", "50ms"), "team-a", 3);
        configMap("worker-2", 1, config("team-b", "smb", "50ms"), "team-b", 1);
        start(100);

        await().atMost(WAIT).until(() -> agent.applied.size() == 1);
        assertThat(agent.applied.get(0).config().anomalies()).extracting(a -> a.name())
                .containsExactly("team-a.latency-smb");
        AnomalyPolicyNodeStatus s = awaitStatus("team-a", x -> x.configGeneration() == 1);
        assertThat(s.observedGeneration()).isEqualTo(3);
        assertThat(programmed(s).getStatus()).isEqualTo("True");
        assertThat(programmed(s).getReason()).isEqualTo("Programmed");
        assertThat(s.probes()).extracting(ProbeStatus::name, ProbeStatus::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("smb-wire", ProbeState.ATTACHED));
        assertThat(s.attachedProbes()).isEqualTo(1);
        assertThat(s.droppedEvents()).isEqualTo(4);
        assertThat(s.drops()).containsEntry("ringBufferFull", 3L).containsEntry("inflightFull", 1L);
        assertThat(s.agentVersion()).isEqualTo("0.1.0-test");
        assertThat(s.lastHeartbeatTime()).isNotNull();
        assertThat(api.client.resources(AnomalyPolicyNode.class).withName(AnomalyPolicyNode.nameFor("team-b", node)).get())
                .as("another node's policy").isNull();
        AnomalyPolicyNode apn = api.client.resources(AnomalyPolicyNode.class)
                .withName(AnomalyPolicyNode.nameFor("team-a", node)).get();
        assertThat(apn.getSpec().node()).isEqualTo(node);
        assertThat(apn.getMetadata().getOwnerReferences()).extracting(o -> o.getUid()).containsExactly("uid-team-a");
    }

    @Test
    void aNewConfigIsHotReloadedAndAnInvalidOneRejectedWithTheLastGoodKept() {
        configMap(node, 1, config("team-a", "smb", "50ms"), "team-a", 1);
        start(100);
        awaitStatus("team-a", x -> x.configGeneration() == 1);

        configMap(node, 2, config("team-a", "smb", "80ms"), "team-a", 2);
        await().atMost(WAIT).until(() -> agent.applied.size() == 2);
        awaitStatus("team-a", x -> x.configGeneration() == 2 && x.observedGeneration() == 2);

        configMap(node, 3, config("team-a", "smb", "80parsecs"), "team-a", 3);
        await().atMost(WAIT).until(() -> agent.rejected.size() == 1);
        assertThat(agent.rejected.get(0)).anySatisfy(e -> assertThat(e).contains("defaultThreshold")
                .contains("80parsecs"));
        assertThat(agent.applied).hasSize(2);
        AnomalyPolicyNodeStatus s = awaitStatus("team-a", x -> "False".equals(programmed(x).getStatus()));
        assertThat(programmed(s).getReason()).isEqualTo("ConfigRejected");
        assertThat(programmed(s).getMessage()).contains("generation 3 rejected, generation 2 keeps running")
                .contains("80parsecs");
        assertThat(s.configGeneration()).isEqualTo(2);
        assertThat(mode.watch().state().appliedGeneration()).isEqualTo(2);
    }

    @Test
    void aPolicyThatLeavesTheConfigLosesItsNodeStatusAndAGoneConfigMapIdlesTheAgent() {
        configMap(node, 1, config("team-a", "smb", "50ms") + config("team-b", "nfs", "50ms").replace("anomalies:\n", ""),
                "team-a", 1, "team-b", 1);
        start(100);
        awaitStatus("team-a", x -> x.configGeneration() == 1);
        awaitStatus("team-b", x -> x.configGeneration() == 1);

        configMap(node, 2, config("team-a", "smb", "50ms"), "team-a", 1);
        await().atMost(WAIT).until(() -> apn("team-b") == null);
        assertThat(apn("team-a")).isNotNull();

        api.client.configMaps().inNamespace(ns).withName(NodeConfig.configMapName(node)).delete();
        await().atMost(WAIT).until(() -> agent.applied.size() == 3
                && agent.applied.get(2).config().anomalies().isEmpty());
        await().atMost(WAIT).until(() -> apn("team-a") == null);
    }

    @Test
    void whileTheApiServerIsAwayDetectionGoesOnAndEverythingArrivesWhenItReturns() throws Exception {
        configMap(node, 1, config("team-a", "smb", "50ms"), "team-a", 1);
        start(100);
        awaitStatus("team-a", x -> x.configGeneration() == 1);

        api.gate.shut();
        Instant now = Instant.now();
        for (String op : List.of("SMB2_WRITE", "SMB2_READ", "SMB2_CREATE")) {
            Anomaly a = Anomalies.latency("team-a.latency-smb", op, now, Duration.ofMillis(300),
                    Anomalies.writes("dd", 41, 3));
            agent.sinks.forEach(s -> s.fired(a));
            for (int i = 2; i <= 4; i++) {
                long count = i;
                agent.sinks.forEach(s -> s.repeated(a.key(), count, System.nanoTime()));
            }
        }
        await().atMost(WAIT).until(() -> !mode.queue().reachable());
        Thread.sleep(1500);
        assertThat(events()).isEmpty();
        assertThat(mode.queue().size()).isBetween(3, 4);

        api.gate.reopen();
        await().atMost(WAIT).untilAsserted(() -> assertThat(events()).hasSize(3)
                .allSatisfy(e -> assertThat(e.getStatus().count()).isEqualTo(4)));
        await().atMost(WAIT).until(() -> mode.queue().reachable() && mode.queue().size() == 0);
        assertThat(mode.queue().overflowed()).isZero();
        assertThat(agent.registry.scrape()).contains("aod_kube_queue_pending");
    }

    @Test
    void beyondTheBoundWritesAreDroppedAndCounted() throws Exception {
        configMap(node, 1, config("team-a", "smb", "50ms"), "team-a", 1);
        start(2);
        awaitStatus("team-a", x -> x.configGeneration() == 1);
        await().atMost(WAIT).until(() -> mode.queue().size() == 0);

        api.gate.shut();
        Instant now = Instant.now();
        for (String op : List.of("SMB2_WRITE", "SMB2_READ", "SMB2_CREATE", "SMB2_CLOSE")) {
            Anomaly a = Anomalies.latency("team-a.latency-smb", op, now, Duration.ofMillis(300),
                    Anomalies.writes("dd", 41, 3));
            agent.sinks.forEach(s -> s.fired(a));
        }
        await().atMost(WAIT).until(() -> mode.queue().overflowed() >= 2);
        assertThat(agent.registry.scrape()).containsPattern("aod_kube_queue_overflow_total\\{kind=\"AnomalyEvent\"} [2-9]");

        api.gate.reopen();
        await().atMost(WAIT).untilAsserted(() -> assertThat(events()).hasSize(2));
    }

    private AnomalyPolicyNode apn(String policy) {
        return api.client.resources(AnomalyPolicyNode.class).withName(AnomalyPolicyNode.nameFor(policy, node)).get();
    }

    private AnomalyPolicyNodeStatus awaitStatus(String policy, java.util.function.Predicate<AnomalyPolicyNodeStatus> p) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            AnomalyPolicyNode n = apn(policy);
            return n == null ? null : n.getStatus();
        }, s -> s != null && p.test(s));
    }

    private static Condition programmed(AnomalyPolicyNodeStatus s) {
        return s.conditions().stream().filter(c -> c.getType().equals("Programmed")).findFirst().orElseThrow();
    }

    private List<AnomalyEvent> events() {
        return api.client.resources(AnomalyEvent.class).inNamespace(ns).list().getItems().stream()
                .filter(e -> e.getStatus() != null).toList();
    }

    private String config(String policy, String protocol, String threshold) {
        return """
                anomalies:
                  - name: %1$s.latency-%2$s
                    policy: %1$s
                    type: latency
                    protocol: %2$s
                    defaultThreshold: %3$s
                """.formatted(policy, protocol, threshold);
    }

    private void configMap(String nodeName, long generation, String anomalies, Object... policies) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < policies.length; i += 2) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(policies[i]).append("\",\"uid\":\"uid-")
                    .append(policies[i]).append("\",\"generation\":").append(policies[i + 1]).append("}");
        }
        json.append("]");
        String yaml = "apiVersion: aod.dev/v1alpha1\nkind: AgentConfig\nnode: " + nodeName + "\noutputDir: " + dir
                + "\n" + anomalies;
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(NodeConfig.configMapName(nodeName))
                .withNamespace(ns).addToAnnotations(NodeConfig.NODE_ANNOTATION, nodeName)
                .addToAnnotations(NodeConfig.GENERATION_ANNOTATION, Long.toString(generation))
                .addToAnnotations(NodeConfig.POLICIES_ANNOTATION, json.toString())
                .addToLabels(NodeConfig.COMPONENT_LABEL, NodeConfig.COMPONENT).endMetadata()
                .addToData(NodeConfig.CONFIG_KEY, yaml).build();
        api.client.resource(cm).createOr(c -> c.update());
    }
}
