package dev.aod.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Capability;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
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
import java.util.Objects;
import java.util.Queue;
import java.util.jar.JarFile;
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
 * The operator image as {@code helm install} runs it, against Fabric8's mock API server (CRUD mode)
 * in the test JVM: the chart's objects are created there, and the operator runs with the chart's
 * Deployment settings (user, no capabilities, read-only root file system, no new privileges, memory
 * and CPU limits, environment, its ConfigMap and /tmp mounted as the kubelet would). It becomes ready
 * (/readyz), takes the leader-election Lease, creates the agent DaemonSet the chart's configuration
 * describes, owned by its Deployment, and stops cleanly on SIGTERM. Instead of a service-account token
 * (which the mock cannot check) it finds the API server through Fabric8's environment variables.
 */
@ExtendWith({OperatorImageIT.RequiresOperatorJar.class, ImagesExtension.class})
class OperatorImageIT {
    private static final String NAMESPACE = InstalledChart.NAMESPACE;
    private static final String POD_NAME = "aod-operator-5c9d7b8f6d-it";
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
    void startApiServer() throws IOException, InterruptedException {
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
        dir = ImagesExtension.work().resolve("operator");
        LocalEngine.removeTree(dir);
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
    void startsAsTheChartRunsItAndReportsReadyAgainstTheMockApiServer(LocalImages images) throws Exception {
        String tag = images.build("operator").tag();
        int httpPort = freePort();
        InstalledChart chart = InstalledChart.render(Map.of("operator.httpPort", httpPort));
        chart.install(client);
        Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(InstalledChart.OPERATOR).get();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container spec = pod.getContainers().get(0);
        assertThat(spec.getImage()).isEqualTo(tag);

        try (GenericContainer<?> operator = container(pod, spec)) {
            operator.start();
            try {
                runs(operator, chart, deployment, pod, spec, httpPort);
            } finally {
                Files.writeString(dir.resolve("operator.log"), operator.getLogs());
            }
        }
    }

    private void runs(GenericContainer<?> operator, InstalledChart chart, Deployment deployment, PodSpec pod, Container spec,
            int httpPort) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                    assertThat(operator.isRunning()).as("operator running; its log:\n%s", operator.getLogs()).isTrue();
                    assertThat(get(httpPort, spec.getReadinessProbe().getHttpGet().getPath()).statusCode())
                            .as(operator.getLogs()).isEqualTo(200);
                });
        assertThat(get(httpPort, spec.getLivenessProbe().getHttpGet().getPath()).statusCode()).isEqualTo(200);
        assertThat(get(httpPort, "/metrics").body()).contains("# TYPE");
        assertThat(client.leases().inNamespace(NAMESPACE).withName(chart.config().leaderElection().leaseName()).get())
                .as("the leader-election Lease").isNotNull()
                .satisfies(l -> assertThat(l.getSpec().getHolderIdentity()).isEqualTo(POD_NAME));

        DaemonSet expected = chart.agents();
        DaemonSet agents = await().atMost(Duration.ofSeconds(60)).until(() -> client.apps().daemonSets()
                .inNamespace(NAMESPACE).withName(expected.getMetadata().getName()).get(), Objects::nonNull);
        assertThat(agents.getSpec()).as("the agent DaemonSet the operator created").isEqualTo(expected.getSpec());
        assertThat(agents.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Deployment");
            assertThat(o.getName()).isEqualTo(InstalledChart.OPERATOR);
            assertThat(o.getUid()).isEqualTo(deployment.getMetadata().getUid()).isNotBlank();
        });

        var inspect = operator.getDockerClient().inspectContainerCmd(operator.getContainerId()).exec();
        assertThat(inspect.getConfig().getUser()).isEqualTo("65532:65532");
        assertThat(operator.execInContainer("id", "-u").getStdout().strip()).isEqualTo("65532");
        assertThat(operator.execInContainer("sh", "-c", "grep CapEff /proc/1/status").getStdout())
                .contains("0000000000000000");

        operator.getDockerClient().stopContainerCmd(operator.getContainerId())
                .withTimeout(pod.getTerminationGracePeriodSeconds().intValue()).exec();
        Long exit = operator.getDockerClient().inspectContainerCmd(operator.getContainerId()).exec()
                .getState().getExitCodeLong();
        assertThat(exit).as("exit status after SIGTERM; log:\n%s", operator.getLogs()).isIn(0L, 143L);
    }

    /** The Deployment's container as the kubelet would run it (one replica), on the host's network. */
    private GenericContainer<?> container(PodSpec pod, Container spec) throws IOException {
        PodSecurityContext user = pod.getSecurityContext();
        SecurityContext security = spec.getSecurityContext();
        assertThat(security.getCapabilities().getAdd()).isEmpty();
        assertThat(security.getSeccompProfile()).as("RuntimeDefault: the engine's default profile").isNull();
        assertThat(user.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Map<String, String> fieldRefs = Map.of("metadata.name", POD_NAME, "metadata.namespace", NAMESPACE);

        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(spec.getImage()))
                .withNetworkMode("host")
                .withCommand(spec.getArgs().toArray(String[]::new))
                .withEnv("KUBERNETES_MASTER", "http://127.0.0.1:" + api.getPort())
                .withEnv("KUBERNETES_AUTH_TRYKUBECONFIG", "false")
                .withEnv("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        for (EnvVar e : spec.getEnv()) {
            container.withEnv(e.getName(), e.getValueFrom() == null ? e.getValue()
                    : Objects.requireNonNull(fieldRefs.get(e.getValueFrom().getFieldRef().getFieldPath()), e.toString()));
        }
        for (VolumeMount m : spec.getVolumeMounts()) {
            Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
            if (v.getConfigMap() != null) {
                ConfigMap source = client.configMaps().inNamespace(NAMESPACE).withName(v.getConfigMap().getName()).get();
                Path files = Files.createDirectories(dir.resolve(v.getName()));
                for (Map.Entry<String, String> file : source.getData().entrySet()) {
                    Files.writeString(files.resolve(file.getKey()), file.getValue());
                }
                container.withFileSystemBind(files.toString(), m.getMountPath(), BindMode.READ_ONLY);
            } else if (v.getEmptyDir() != null) {
                container.withTmpFs(Map.of(m.getMountPath(),
                        "rw,size=" + Quantity.getAmountInBytes(v.getEmptyDir().getSizeLimit()).toBigInteger()));
            } else {
                throw new IllegalArgumentException("volume " + v.getName() + " is not supported: " + v);
            }
        }
        Map<String, Quantity> limits = spec.getResources().getLimits();
        return container.withCreateContainerCmdModifier(cmd -> cmd.withUser(user.getRunAsUser() + ":" + user.getRunAsGroup())
                .getHostConfig()
                .withCapDrop(security.getCapabilities().getDrop().stream().map(Capability::valueOf).toArray(Capability[]::new))
                .withReadonlyRootfs(security.getReadOnlyRootFilesystem())
                .withSecurityOpts(Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                        ? List.of("no-new-privileges") : List.of())
                .withMemory(Quantity.getAmountInBytes(limits.get("memory")).longValueExact())
                .withNanoCPUs(Quantity.getAmountInBytes(limits.get("cpu")).movePointRight(9).longValueExact()));
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
