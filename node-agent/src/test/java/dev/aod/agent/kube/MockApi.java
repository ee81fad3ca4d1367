package dev.aod.agent.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fabric8's mock API server in CRUD mode with the aod.dev CRDs, and a {@link TcpGate} in front of
 * it for the agent's client: closing the gate makes the API server unreachable for the agent while
 * its objects stay. One namespace per test.
 */
final class MockApi implements AutoCloseable {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    static {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    final KubernetesMockServer server;
    final KubernetesClient client;
    final TcpGate gate;

    private MockApi(KubernetesMockServer server, KubernetesClient client, TcpGate gate) {
        this.server = server;
        this.client = client;
        this.gate = gate;
    }

    static MockApi start() throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        KubernetesClient client = server.createClient();
        for (String plural : List.of("anomalypolicies", "anomalypolicynodes", "anomalyevents")) {
            try (InputStream in = MockApi.class.getResourceAsStream("/META-INF/fabric8/" + plural + ".aod.dev-v1.yml")) {
                client.resource(Serialization.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        CustomResourceDefinition.class)).create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        TcpGate gate = TcpGate.open("127.0.0.1", server.getPort());
        return new MockApi(server, client, gate);
    }

    String newNamespace() {
        String name = "t" + NAMESPACES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    /** A client through the gate, with short timeouts, as the agent has. */
    KubernetesClient agentClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + gate.port())
                .withRequestTimeout(3000).withConnectionTimeout(2000).withRequestRetryBackoffLimit(0)
                .withNamespace(null).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public void close() {
        gate.close();
        client.close();
        server.destroy();
    }
}
