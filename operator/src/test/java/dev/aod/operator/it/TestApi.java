package dev.aod.operator.it;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The API server the operator ITs run against. By default Fabric8's mock server in CRUD mode,
 * because no kube-apiserver can run on the build machine; it stores, versions and watches objects
 * but does not validate them (the tests validate what they submit with the generated CRDs'
 * schema and CEL rules instead), applies no server-side apply and collects no garbage. With
 * {@code -Daod.k8s.target=kubeconfig} (profile aod-cluster-it) the same tests run against the
 * cluster of KUBECONFIG.
 */
final class TestApi implements AutoCloseable {
    static final List<String> CRDS = List.of("anomalypolicies", "anomalypolicynodes", "anomalyevents");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The mock server logs every request through java.util.logging; kept so that the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private TestApi(KubernetesMockServer server, KubernetesClient client) {
        this.server = server;
        this.client = client;
    }

    static TestApi start() {
        String target = System.getProperty("aod.k8s.target", "mock");
        if (target.equals("kubeconfig")) {
            String kubeconfig = System.getenv("KUBECONFIG");
            java.nio.file.Path home = java.nio.file.Path.of(System.getProperty("user.home"), ".kube", "config");
            if ((kubeconfig == null || kubeconfig.isBlank()) && !java.nio.file.Files.exists(home)) {
                throw new IllegalStateException("-Paod-cluster-it runs the operator ITs against a real cluster: set KUBECONFIG "
                        + "(kind, k3s; cluster-admin, as the tests install CRDs and create Node objects)");
            }
            KubernetesClient client = new KubernetesClientBuilder().build();
            TestApi api = new TestApi(null, client);
            api.installCrds();
            return api;
        }
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        // JOSDK checks its lease permissions with a SelfSubjectRulesReview, which the mock cannot evaluate.
        SelfSubjectRulesReview allowed = new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
                .withIncomplete(false).endStatus().build();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, allowed).always();
        TestApi api = new TestApi(server, server.createClient());
        api.installCrds();
        return api;
    }

    boolean isMock() {
        return server != null;
    }

    KubernetesClient client() {
        return client;
    }

    /** A client of its own, as each operator replica has. */
    KubernetesClient newClient() {
        return isMock() ? server.createClient() : new KubernetesClientBuilder().build();
    }

    private void installCrds() {
        for (String plural : CRDS) {
            String resource = "/META-INF/fabric8/" + plural + ".aod.dev-v1.yml";
            CustomResourceDefinition crd;
            try (InputStream in = TestApi.class.getResourceAsStream(resource)) {
                crd = Serialization.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        CustomResourceDefinition.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (isMock()) {
                client.resource(crd).create();
            } else {
                client.resource(crd).patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager("aod-operator-it").withForce(true).build());
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                                .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                                60, TimeUnit.SECONDS);
            }
        }
    }

    /** A fresh namespace, short enough to prefix policy names with (they are limited to 51 characters). */
    String newNamespace() {
        String name = "it-" + Long.toString(Math.abs(RANDOM.nextLong()) % 2_000_000_000L, 36);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/metadata.name", name).endMetadata().build()).create();
        return name;
    }

    @Override
    public void close() {
        client.close();
        if (server != null) {
            server.destroy();
        }
    }
}
