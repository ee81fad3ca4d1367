package dev.aod.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Capability;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The operator image, run by Testcontainers the way the chart runs the operator (non-root, no
 * capabilities, read-only root file system, no new privileges), against Fabric8's mock API server
 * in CRUD mode on this machine: it becomes ready (/readyz), takes the leader-election Lease and
 * stops cleanly on SIGTERM.
 */
@ExtendWith({OperatorImageIT.RequiresOperatorJar.class, ImagesExtension.class})
class OperatorImageIT {
    private static final String NAMESPACE = "aod-it";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Held so that the level sticks: the mock server logs every request at INFO through java.util.logging. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** Skips the class, saying why, while the operator module produces no runnable jar. */
    static final class RequiresOperatorJar implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Path jar = Path.of(System.getProperty("aod.operator.jar", "../operator/target/aod-operator.jar"));
            if (!Files.isRegularFile(jar)) {
                return ConditionEvaluationResult.disabled(jar + " does not exist: the operator module produces no "
                        + "runnable jar yet, so there is no operator image to test");
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.getManifest() == null || file.getManifest().getMainAttributes().getValue("Main-Class") == null) {
                    return ConditionEvaluationResult.disabled(jar + " has no Main-Class: not a runnable operator jar");
                }
            } catch (IOException e) {
                return ConditionEvaluationResult.disabled(jar + " cannot be read: " + e.getMessage());
            }
            return ConditionEvaluationResult.enabled(jar + " exists");
        }
    }

    private KubernetesMockServer api;
    private KubernetesClient client;
    private Path dir;

    @BeforeEach
    void startApiServer() throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        api = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        api.init(InetAddress.getByName("127.0.0.1"), 0);
        // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the mock cannot evaluate.
        SelfSubjectRulesReview allowed = new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
                .withIncomplete(false).endStatus().build();
        api.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, allowed).always();
        client = api.createClient();
        Path crds = Path.of(System.getProperty("aod.crds.dir"));
        try (Stream<Path> files = Files.list(crds)) {
            for (Path file : files.filter(f -> f.toString().endsWith("-v1.yml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
                }
            }
        }
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        dir = ImagesExtension.work().resolve("operator");
        Files.createDirectories(dir);
    }

    @AfterEach
    void stopApiServer() {
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.destroy();
        }
    }

    @Test
    void startsAsNonRootAndReportsReadyAgainstTheMockApiServer(LocalImages images) throws Exception {
        String tag = images.build("operator").tag();
        int httpPort = freePort();
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                namespace: %s
                agent: {image: aod/agent:it}
                http: {port: %d}
                leaderElection: {enabled: true, identity: operator-it}
                """.formatted(NAMESPACE, httpPort));
        String apiUrl = "http://127.0.0.1:" + api.getPort();

        try (GenericContainer<?> operator = new GenericContainer<>(DockerImageName.parse(tag))
                .withNetworkMode("host")
                .withFileSystemBind(config.toString(), "/etc/aod-operator/config.yaml", BindMode.READ_ONLY)
                .withTmpFs(Map.of("/tmp", "rw,size=16m"))
                .withEnv("KUBERNETES_MASTER", apiUrl)
                .withEnv("KUBERNETES_AUTH_TRYKUBECONFIG", "false")
                .withEnv("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false")
                .withEnv("KUBERNETES_NAMESPACE", NAMESPACE)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withCapDrop(Capability.ALL)
                        .withReadonlyRootfs(true)
                        .withSecurityOpts(List.of("no-new-privileges"))
                        .withMemory(512L << 20))) {
            operator.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                        assertThat(operator.isRunning()).as("operator running; its log:\n%s", operator.getLogs()).isTrue();
                        assertThat(get(httpPort, "/readyz").statusCode()).as(operator.getLogs()).isEqualTo(200);
                    });
            assertThat(get(httpPort, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(httpPort, "/metrics").body()).contains("# TYPE");
            assertThat(client.leases().inNamespace(NAMESPACE).withName("aod-operator").get())
                    .as("the leader-election Lease").isNotNull()
                    .satisfies(l -> assertThat(l.getSpec().getHolderIdentity()).isEqualTo("operator-it"));

            var inspect = operator.getDockerClient().inspectContainerCmd(operator.getContainerId()).exec();
            assertThat(inspect.getConfig().getUser()).isEqualTo("65532:65532");
            assertThat(operator.execInContainer("id", "-u").getStdout().strip()).isEqualTo("65532");
            assertThat(operator.execInContainer("sh", "-c", "grep CapEff /proc/1/status").getStdout())
                    .contains("0000000000000000");

            operator.getDockerClient().stopContainerCmd(operator.getContainerId()).withTimeout(60).exec();
            Long exit = operator.getDockerClient().inspectContainerCmd(operator.getContainerId()).exec()
                    .getState().getExitCodeLong();
            Files.writeString(dir.resolve("operator.log"), operator.getLogs());
            assertThat(exit).as("exit status after SIGTERM; log:\n%s", operator.getLogs()).isIn(0L, 143L);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
