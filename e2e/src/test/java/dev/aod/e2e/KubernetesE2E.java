package dev.aod.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aod.api.testing.KubeValidator;
import dev.aod.api.v1alpha1.AnomalyEvent;
import dev.aod.api.v1alpha1.AnomalyKind;
import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyNodeStatus;
import dev.aod.api.v1alpha1.BundleState;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.api.v1alpha1.ProbeState;
import dev.aod.api.v1alpha1.ProbeStatus;
import dev.aod.api.v1alpha1.ProcessRef;
import dev.aod.api.v1alpha1.Protocol;
import dev.aod.e2e.guest.GuestVm;
import dev.aod.operator.AodOperator;
import dev.aod.operator.config.OperatorConfigLoader;
import dev.aod.operator.policy.PolicyTranslator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real pieces joined: the agent runs in Kubernetes mode inside the guest, on its real cifs and
 * nfs clients; Fabric8's mock API server (CRUD mode, since no kube-apiserver can run here) and
 * the operator run on the host. The guest reaches the host's loopback as 10.0.2.2 through qemu's
 * user-mode network. A policy applied on the host becomes the node's config, the agent reports its
 * probes in an AnomalyPolicyNode, and a slowed share becomes an AnomalyEvent with its bundle
 * shipped to the policy's claim; one made while the guest cannot reach the API server arrives
 * when it can again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesE2E {
    private static final Logger log = LoggerFactory.getLogger(KubernetesE2E.class);
    private static final String NODE = "aod-guest";
    private static final String NAMESPACE = "aod-system";
    private static final String POLICY = "e2e-latency";
    private static final String CLAIM = "bundles";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String API_AWAY = "ip route add unreachable 10.0.2.2/32";
    private static final String API_BACK = "ip route del unreachable 10.0.2.2/32";
    private static final String OPERATOR_CONFIG = """
            namespace: %s
            agent:
              image: aod-agent:e2e
              nodeSelector: {kubernetes.io/os: linux}
            leaderElection: {enabled: false}
            http: {port: 0}
            resyncPeriod: 1m
            """.formatted(NAMESPACE);
    private static final String POLICY_YAML = """
            apiVersion: aod.dev/v1alpha1
            kind: AnomalyPolicy
            metadata: {name: %s}
            spec:
              nodeSelector: {matchLabels: {aod.dev/watch: "true"}}
              protocols: [SMB, NFS]
              latency:
                mode: TrackOnly
                track:
                  - {operation: SMB2_WRITE, threshold: 100ms}
                  - {operation: WRITE, threshold: 100ms}
                minCount: 3
                window: 10s
              cooldown: 1m
              upload: {persistentVolumeClaim: {claimName: %s}}
            """.formatted(POLICY, CLAIM);
    /** Slow writes in the background, so that the API is watched while they run; /tmp/&lt;name&gt;.done when they are. */
    private static final String SLOW_WRITES = """
            rm -f /tmp/%2$s.done
            (
                tc qdisc add dev lo root netem delay 150ms
                for i in 1 2 3 4; do
                    dd if=/dev/zero of=/mnt/%1$s/%2$s-$i bs=64k count=4 oflag=direct status=none &
                done
                wait
                tc qdisc del dev lo root
                rm -f /mnt/%1$s/%2$s-*
                touch /tmp/%2$s.done
            ) >/tmp/%2$s.log 2>&1 </dev/null &
            """;

    private static GuestVm guest;
    private static KubernetesMockServer server;
    private static KubernetesClient client;
    private static AodOperator operator;
    private static GuestAgent agent;

    @BeforeAll
    static void joinThePieces() throws Exception {
        guest = GuestAgent.bootWithAgent("kubernetes");
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        for (String plural : List.of("anomalypolicies", "anomalypolicynodes", "anomalyevents")) {
            try (InputStream in = KubernetesE2E.class.getResourceAsStream("/META-INF/fabric8/" + plural + ".aod.dev-v1.yml")) {
                client.resource(Serialization.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        CustomResourceDefinition.class)).create();
            }
        }
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        client.resource(new NodeBuilder().withNewMetadata().withName(NODE)
                .withLabels(Map.of("kubernetes.io/os", "linux", "aod.dev/watch", "true")).endMetadata().build()).create();

        operator = new AodOperator(server.createClient(),
                OperatorConfigLoader.parse(OPERATOR_CONFIG, "KubernetesE2E", Map.of()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC(), () -> {});
        operator.start();
        applyPolicy();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.configMaps().inNamespace(NAMESPACE)
                .withName(NodeConfig.configMapName(NODE)).get() != null);

        guest.run("mkdir -p " + PolicyTranslator.UPLOAD_DIR + "/" + CLAIM, Duration.ofSeconds(30));
        agent = GuestAgent.startKubernetes(guest, "kubernetes", kubeconfig(server.getPort()), NODE, NAMESPACE, WAIT);
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (agent != null) {
                guest.exec(API_BACK + " 2>/dev/null; true", Duration.ofSeconds(30));
                agent.close();
            }
            if (operator != null) {
                operator.stop();
            }
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.destroy();
            }
        } finally {
            if (guest != null) {
                guest.close();
            }
        }
    }

    @Test
    @Order(1)
    void theAgentReportsItsProbesAndThePolicyIsProgrammed() {
        AnomalyPolicyNodeStatus status = await().atMost(WAIT).until(() -> nodeStatus().orElse(null),
                s -> s != null && "True".equals(condition(s.conditions(), AnomalyPolicyNodeStatus.PROGRAMMED)));
        log.info("AnomalyPolicyNode {}: {}", AnomalyPolicyNode.nameFor(POLICY, NODE), Serialization.asYaml(status));
        assertThat(status.probes()).filteredOn(p -> p.state() == ProbeState.ATTACHED).extracting(ProbeStatus::name)
                .contains("smb-wire", "nfs-rpc");
        assertThat(status.configGeneration()).isEqualTo(1);
        assertThat(status.kernelVersion()).isEqualTo(guest.kernelRelease());
        assertThat(status.lastHeartbeatTime()).isNotNull();

        AnomalyPolicy policy = await().atMost(Duration.ofSeconds(60)).until(
                () -> client.resources(AnomalyPolicy.class).withName(POLICY).get(),
                p -> p.getStatus() != null && Integer.valueOf(1).equals(p.getStatus().programmedNodes()));
        assertThat(condition(policy.getStatus().conditions(), "Programmed")).isEqualTo("True");
        assertThat(condition(policy.getStatus().conditions(), "Accepted")).isEqualTo("True");
    }

    @Test
    @Order(2)
    void aSlowShareBecomesOneAnomalyEventWithItsBundleShipped() throws Exception {
        long slowdown = System.nanoTime();
        slowWrites("smb", "k8s");
        AnomalyEvent event = await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> event(Protocol.SMB), Optional::isPresent).orElseThrow();
        log.info("AnomalyEvent {} visible through the API {} ms after the slowdown started", event.getMetadata().getName(),
                (System.nanoTime() - slowdown) / 1_000_000);

        assertThat(event.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(event.getSpec().node()).isEqualTo(NODE);
        assertThat(event.getSpec().policy()).isEqualTo(POLICY);
        assertThat(event.getSpec().kind()).isEqualTo(AnomalyKind.LATENCY);
        assertThat(event.getSpec().operation()).isEqualTo("SMB2_WRITE");
        assertThat(event.getSpec().threshold()).isEqualTo("100ms");
        assertThat(event.getSpec().server()).isEqualTo("127.0.0.1");
        assertThat(event.getSpec().share()).endsWith("share");
        awaitWritesDone("k8s");

        AnomalyEvent shipped = awaitBundle(event.getMetadata().getName(), BundleState.SHIPPED);
        log.info("its bundle: {}", shipped.getStatus().bundle());
        assertThat(shipped.getStatus().bundle().uri()).contains(NODE).endsWith(".tar.zst");
        assertThat(shipped.getStatus().bundle().bytes()).isPositive();
        assertThat(shipped.getStatus().count()).isGreaterThanOrEqualTo(1);
        assertThat(shipped.getStatus().top()).extracting(ProcessRef::command).contains("dd");
        assertThat(shipped.getStatus().volume().mountPoint()).as("the share is mounted once, outside the kubelet")
                .isEqualTo("/mnt/smb");
        long count = shipped.getStatus().count();

        slowWrites("smb", "again");
        awaitWritesDone("again");
        AnomalyEvent repeated = await().atMost(WAIT).until(() -> get(event.getMetadata().getName()),
                e -> e.getStatus().count() > count);
        assertThat(events(Protocol.SMB)).as("a repeat bumps the count, it makes no second event").hasSize(1);
        assertThat(Instant.parse(repeated.getStatus().lastSeen())).isAfter(Instant.parse(shipped.getStatus().lastSeen()));
    }

    @Test
    @Order(3)
    void anEventMadeWhileTheApiServerIsAwayArrivesWhenItReturns() throws Exception {
        guest.run(API_AWAY, Duration.ofSeconds(30));
        boolean away = true;
        try {
            slowWrites("nfs", "away");
            awaitWritesDone("away");
            agent.awaitLog("written for anomaly \"" + POLICY + ".latency-nfs\"", WAIT);
            agent.awaitLog("keeping status and events in memory", WAIT);
            assertThat(events(Protocol.NFS)).as("nothing reaches the API server while it is away").isEmpty();

            guest.run(API_BACK, Duration.ofSeconds(30));
            away = false;
        } finally {
            if (away) {
                guest.exec(API_BACK, Duration.ofSeconds(30));
            }
        }
        long back = System.nanoTime();
        AnomalyEvent event = await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> event(Protocol.NFS), Optional::isPresent).orElseThrow();
        log.info("AnomalyEvent {} visible {} ms after the API server became reachable again",
                event.getMetadata().getName(), (System.nanoTime() - back) / 1_000_000);
        assertThat(event.getSpec().node()).isEqualTo(NODE);
        assertThat(event.getSpec().operation()).isEqualTo("WRITE");
        assertThat(event.getSpec().share()).isEqualTo("/srv/nfs");
        assertThat(event.getSpec().server()).isEqualTo("127.0.0.1");
        assertThat(awaitBundle(event.getMetadata().getName(), BundleState.SHIPPED).getStatus().bundle().uri())
                .contains(NODE);
        // the agent logs this once the API server's answer to the write is back in the guest, which can be
        // after the test already sees what the write made
        agent.awaitLog("the API server answers again", WAIT);
        Instant heartbeat = Instant.parse(nodeStatus().orElseThrow().lastHeartbeatTime());
        await().atMost(WAIT).until(() -> Instant.parse(nodeStatus().orElseThrow().lastHeartbeatTime()).isAfter(heartbeat));
    }

    private static void slowWrites(String mount, String name) {
        guest.run(SLOW_WRITES.formatted(mount, name), Duration.ofSeconds(30));
    }

    private static void awaitWritesDone(String name) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> guest.exec("test -e /tmp/" + name + ".done", Duration.ofSeconds(30)).exitCode() == 0);
    }

    private static void applyPolicy() {
        KubeValidator validator = KubeValidator.forCrd("anomalypolicies");
        assertThat(validator.validate(POLICY_YAML)).as("the policy, as the API server would check it").isEmpty();
        client.genericKubernetesResources("aod.dev/v1alpha1", "AnomalyPolicy").resource(Serialization.unmarshal(
                validator.withDefaults(KubeValidator.parse(POLICY_YAML)).toString(), GenericKubernetesResource.class))
                .create();
    }

    private static String kubeconfig(int port) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: e2e, cluster: {server: "http://10.0.2.2:%d"}}]
                users: [{name: agent, user: {token: e2e}}]
                contexts: [{name: e2e, context: {cluster: e2e, user: agent, namespace: %s}}]
                current-context: e2e
                """.formatted(port, NAMESPACE);
    }

    private static Optional<AnomalyPolicyNodeStatus> nodeStatus() {
        AnomalyPolicyNode apn = client.resources(AnomalyPolicyNode.class).withName(AnomalyPolicyNode.nameFor(POLICY, NODE))
                .get();
        return Optional.ofNullable(apn).map(AnomalyPolicyNode::getStatus);
    }

    private static String condition(List<Condition> conditions, String type) {
        return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.getType()))
                .map(Condition::getStatus).findFirst().orElse(null);
    }

    private static List<AnomalyEvent> events(Protocol protocol) {
        return client.resources(AnomalyEvent.class).inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> e.getSpec().protocol() == protocol).toList();
    }

    private static Optional<AnomalyEvent> event(Protocol protocol) {
        return events(protocol).stream().findFirst();
    }

    private static AnomalyEvent get(String name) {
        return client.resources(AnomalyEvent.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private static AnomalyEvent awaitBundle(String name, BundleState state) {
        return await().atMost(WAIT).until(() -> get(name), e -> e.getStatus() != null && e.getStatus().bundle() != null
                && e.getStatus().bundle().state() == state);
    }
}
