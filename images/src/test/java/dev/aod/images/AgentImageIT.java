package dev.aod.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyNodeStatus;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.api.v1alpha1.ProbeStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent image on this host's kernel (BPF and BTF, no cifs or nfs module) in the chart's
 * leastPrivileged pod: it reports the same probe states as the agent run on the host as root, and
 * serves /readyz, /status and /metrics, with exactly the profile's capabilities.
 */
@ExtendWith(ImagesExtension.class)
class AgentImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PROBE_LINE = Pattern.compile("^([a-z0-9-]+): (attached|not applicable|failed)\\b.*");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LocalEngine engine;
    private static String image;
    private static List<String> entrypoint;
    private static Path dir;
    private static int port;
    private static List<String> hostProbes;

    @BeforeAll
    static void buildAndCompareWithTheHost(LocalEngine localEngine, LocalImages images) throws Exception {
        Path jar = Path.of(System.getProperty("aod.agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the agent first (mvn -pl node-agent -am package)");
        }
        engine = localEngine;
        LeastPrivileged.prepareHost();
        String tag = images.build("agent").tag();
        image = engine.copyToContainerd(tag);
        entrypoint = List.of(JSON.readValue(engine.docker(Duration.ofSeconds(30), "image", "inspect", "--format",
                "{{json .Config.Entrypoint}}", tag).require().stdout(), String[].class));

        dir = ImagesExtension.work().resolve("agent");
        LocalEngine.removeTree(dir);
        Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(dir.resolve("data"));
        port = freePort();
        Files.writeString(dir.resolve("config/config.yaml"), """
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                outputDir: %s
                anomalies:
                  - {name: smb-latency, type: latency, protocol: smb, layer: wire, mode: all, defaultThreshold: 20ms, minCount: 5, window: 10s}
                  - {name: nfs-latency, type: latency, protocol: nfs, layer: wire, mode: all, defaultThreshold: 20ms, minCount: 5, window: 10s}
                capture:
                  ftrace: {enabled: false}
                metrics: {address: 0.0.0.0, port: %d}
                """.formatted(LeastPrivileged.DATA_DIR, port));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Commands.Result host = Commands.run(Duration.ofMinutes(2), List.of(java, "-jar", jar.toString(), "probes",
                "--config", dir.resolve("config/config.yaml").toString())).require();
        hostProbes = probeLines(host.stdout());
        assertThat(hostProbes).as("the agent's probes on the host, as root").isNotEmpty();
    }

    @Test
    void carriesItsRuntimeAndTheToolsItsActionsCall() throws Exception {
        Commands.Result r = CtrContainer.run(engine, pod(), List.of("sh", "-c",
                "for t in java tini dmesg ss nfsstat smbinfo tcpdump trace-cmd lsmod ps; do "
                        + "command -v $t >/dev/null || echo \"missing $t\"; done; "
                        + "test -e /usr/lib/x86_64-linux-gnu/libbpf.so.1 || echo 'missing libbpf.so.1'; "
                        + "java -version 2>&1 | head -1; java --list-modules"), Duration.ofMinutes(2));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).doesNotContain("missing").contains("openjdk version \"17.");
        List<String> modules = r.stdout().lines().filter(l -> l.matches("^(java|jdk)\\.[a-z.]+@.*"))
                .map(l -> l.substring(0, l.indexOf('@'))).toList();
        assertThat(modules).containsAll(JreModulesIT.listed(ImagesExtension.imagesDir().resolve("agent/jre-modules")))
                .doesNotContain("jdk.compiler", "jdk.jlink", "jdk.jshell");
    }

    @Test
    void reportsTheProbeStatesTheAgentReportsOnTheHost() throws Exception {
        Commands.Result r = CtrContainer.run(engine, pod(), command("probes", "--config", "/etc/aod/config.yaml"),
                Duration.ofMinutes(2));

        assertThat(r.exitCode()).as(r.describe()).isZero();
        List<String> probes = probeLines(r.stdout());
        assertThat(probes).as("aod-agent probes in the leastPrivileged pod").isEqualTo(hostProbes);
        assertThat(probes).noneMatch(l -> l.contains(": failed"));
        for (String line : probes) {
            String name = line.substring(0, line.indexOf(':'));
            if (name.startsWith("smb") && !Files.isDirectory(Path.of("/sys/module/cifs"))
                    || name.startsWith("nfs") && !Files.isDirectory(Path.of("/sys/module/nfs"))) {
                assertThat(line).as("on a kernel without the module").contains(": not applicable");
            }
        }
    }

    @Test
    void runsTheJvmAsTheSystemdUnitDoes() throws IOException {
        String unit = Files.readString(ImagesExtension.imagesDir().resolveSibling("packaging/systemd/aod-agent.service"));
        String execStart = unit.replace("\\\n", " ").lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertThat(jvmOptions(entrypoint)).as("the image's JVM options")
                .isEqualTo(jvmOptions(List.of(execStart.split("\\s+"))));
    }

    /**
     * The DaemonSet's arguments (run --kubernetes) take the configuration from the API server; here it
     * is the file in /etc/aod, with the same --host-root.
     */
    @Test
    void runsInThePodAndServesStatusAndMetrics() throws Exception {
        List<String> command = command("run", "--config", "/etc/aod/config.yaml", "--host-root", "/host");
        CtrContainer.Spec pod = pod();
        try (CtrContainer agent = CtrContainer.start(engine, pod, command, dir.resolve("agent.log"))) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                assertThat(agent.isRunning()).as("agent running; its log:\n%s", agent.log()).isTrue();
                assertThat(get("/readyz").statusCode()).isEqualTo(200);
            });
            assertThat(get("/healthz").statusCode()).isEqualTo(200);

            JsonNode status = JSON.readTree(get("/status").body());
            Map<String, String> reported = new LinkedHashMap<>();
            status.get("probes").forEach(p -> reported.put(p.get("probe").asText(),
                    p.get("state").asText().toLowerCase(Locale.ROOT).replace('_', ' ')));
            Map<String, String> expected = new LinkedHashMap<>();
            hostProbes.forEach(l -> {
                Matcher m = PROBE_LINE.matcher(l);
                if (m.matches()) {
                    expected.put(m.group(1), m.group(2));
                }
            });
            assertThat(reported).as("/status probes").isEqualTo(expected);

            String metrics = get("/metrics").body();
            assertThat(metrics).contains("# TYPE aod_", "aod_kernel_drops");

            for (String pid : engine.ctr(Duration.ofSeconds(30), "tasks", "ps", agent.id()).require().stdout().lines()
                    .skip(1).map(l -> l.trim().split("\\s+")[0]).toList()) {
                String procStatus = Files.readString(Path.of("/proc", pid, "status"));
                assertThat(capabilities(procStatus, "CapEff")).as("effective capabilities of pid %s", pid)
                        .isEqualTo(LeastPrivileged.mask(pod.capabilities()));
                assertThat(capabilities(procStatus, "CapBnd")).as("bounding set of pid %s", pid)
                        .isEqualTo(LeastPrivileged.mask(pod.capabilities()));
                assertThat(procStatus).containsPattern("NoNewPrivs:\\s+1");
            }

            int exit = agent.stop(Duration.ofSeconds(60));
            assertThat(exit).as("exit status after SIGTERM (143: the JVM's for SIGTERM)").isIn(0, 143);
            List<String> messages = new ArrayList<>();
            for (String line : agent.log().lines().toList()) {
                JsonNode event = JSON.readTree(line);
                assertThat(event.path("level").asText()).as(line).isNotEqualTo("ERROR");
                messages.add(event.path("formattedMessage").asText());
            }
            assertThat(messages).as("the JSON log's messages, formatted").noneMatch(m -> m.isEmpty() || m.contains("{}"))
                    .anyMatch(m -> m.startsWith("watching; bundles go to " + LeastPrivileged.DATA_DIR + "/")).contains("stopped");
        }
    }

    /**
     * The DaemonSet's own arguments ({@code run --kubernetes}) against Fabric8's mock API server with
     * the chart installed: the agent reads its node's ConfigMap, runs it and reports in the policy's
     * AnomalyPolicyNode. It finds the API server through Fabric8's environment variables instead of a
     * service-account token, which the mock cannot check.
     */
    @Test
    void runsTheDaemonSetsArgumentsAgainstTheApiServer() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        api.init(InetAddress.getByName("127.0.0.1"), 0);
        try (KubernetesClient client = api.createClient()) {
            InstalledChart chart = InstalledChart.render(Map.of());
            chart.install(client);
            String node = LeastPrivileged.nodeName();
            int metricsPort = freePort();
            client.resource(nodeConfig(node, metricsPort)).create();
            List<String> command = new ArrayList<>(entrypoint);
            command.addAll(chart.agentPod().getContainers().get(0).getArgs());
            assertThat(command).contains("--kubernetes");
            CtrContainer.Spec pod = pod().env("KUBERNETES_MASTER", "http://127.0.0.1:" + api.getPort())
                    .env("KUBERNETES_AUTH_TRYKUBECONFIG", "false").env("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");

            try (CtrContainer agent = CtrContainer.start(engine, pod, command, dir.resolve("agent-kubernetes.log"))) {
                AnomalyPolicyNodeStatus status = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            assertThat(agent.isRunning()).as("agent running; its log:\n%s", agent.log()).isTrue();
                            AnomalyPolicyNode apn = client.resources(AnomalyPolicyNode.class)
                                    .withName(AnomalyPolicyNode.nameFor("it-policy", node)).get();
                            return apn == null ? null : apn.getStatus();
                        }, s -> s != null && s.configGeneration() != null && s.configGeneration() == 1);
                assertThat(status.conditions()).filteredOn(c -> c.getType().equals(AnomalyPolicyNodeStatus.PROGRAMMED))
                        .singleElement().satisfies(c -> assertThat(c.getStatus()).as(agent.log()).isEqualTo("True"));
                assertThat(status.probes()).extracting(ProbeStatus::name).contains("smb-wire");
                assertThat(status.kernelVersion()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
                assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/readyz"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                int exit = agent.stop(Duration.ofSeconds(60));
                assertThat(exit).as("exit status after SIGTERM").isIn(0, 143);
            }
        } finally {
            api.destroy();
        }
    }

    /** The node's ConfigMap as the operator renders it for one policy with an SMB latency detector. */
    private static ConfigMap nodeConfig(String node, int metricsPort) {
        String config = """
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                node: %s
                outputDir: %s
                capture:
                  ftrace: {enabled: false}
                metrics: {address: 0.0.0.0, port: %d}
                anomalies:
                  - {name: it-policy.latency-smb, policy: it-policy, type: latency, protocol: smb, mode: all, defaultThreshold: 20ms}
                """.formatted(node, LeastPrivileged.DATA_DIR, metricsPort);
        return new ConfigMapBuilder().withNewMetadata().withName(NodeConfig.configMapName(node))
                .withNamespace(InstalledChart.NAMESPACE)
                .addToAnnotations(NodeConfig.NODE_ANNOTATION, node)
                .addToAnnotations(NodeConfig.GENERATION_ANNOTATION, "1")
                .addToAnnotations(NodeConfig.POLICIES_ANNOTATION, "[{\"name\":\"it-policy\",\"uid\":\"uid-it\",\"generation\":1}]")
                .endMetadata().addToData(NodeConfig.CONFIG_KEY, config).build();
    }

    private static CtrContainer.Spec pod() {
        return LeastPrivileged.pod(image, dir.resolve("data"), dir.resolve("config"));
    }

    /** What stands between the java executable and -jar. */
    private static List<String> jvmOptions(List<String> command) {
        int java = command.indexOf(command.stream().filter(a -> a.endsWith("/java")).findFirst().orElseThrow());
        return command.subList(java + 1, command.indexOf("-jar"));
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(List.of(args));
        return command;
    }

    /** The probe lines, without libbpf's log lines (indented) under a failed probe. */
    private static List<String> probeLines(String output) {
        return output.lines().filter(l -> !l.isBlank() && !l.startsWith(" ")).toList();
    }

    private static long capabilities(String procStatus, String field) {
        Matcher m = Pattern.compile("(?m)^" + field + ":\\s+([0-9a-f]+)$").matcher(procStatus);
        assertThat(m.find()).as(field + " in /proc/PID/status").isTrue();
        return Long.parseLong(m.group(1), 16);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
