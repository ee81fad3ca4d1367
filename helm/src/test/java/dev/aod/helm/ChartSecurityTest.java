package dev.aod.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.operator.agent.AgentDaemonSet;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The security-relevant settings, asserted directly: the operator's Deployment as rendered, and
 * the agent DaemonSet as the operator builds it from the configuration the chart renders, for
 * both security profiles.
 */
class ChartSecurityTest {

    @Test
    void theOperatorRunsNonRootReadOnlyWithoutCapabilitiesAndWithProbesAndLimits() {
        Chart.Rendered r = Chart.render(Chart.values());
        Deployment d = r.one(Deployment.class, "aod-operator");
        PodSpec pod = d.getSpec().getTemplate().getSpec();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNull();
        assertThat(pod.getHostPID()).isNull();
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);

        Container c = pod.getContainers().get(0);
        SecurityContext sc = c.getSecurityContext();
        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isEmpty();
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");

        int port = c.getPorts().get(0).getContainerPort();
        assertThat(c.getPorts().get(0).getName()).isEqualTo("http");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getArgs()).containsExactly("--config", "/etc/aod-operator/config.yaml");
        assertThat(c.getVolumeMounts()).extracting(VolumeMount::getMountPath).containsExactlyInAnyOrder("/etc/aod-operator", "/tmp");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("config")).singleElement()
                .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("aod-operator"));
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("AOD_LEADER_IDENTITY");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });

        OperatorConfig config = operatorConfig(r);
        assertThat(config.httpPort()).isEqualTo(port);
        assertThat(config.leaderElection().enabled()).isTrue();
        assertThat(config.leaderElection().identity()).as("from the environment at run time").isEmpty();
        assertThat(config.shutdownTimeout()).isEqualTo(java.time.Duration.ofSeconds(20));
    }

    @Test
    void leastPrivilegedAgentsHaveExactlyTheJustifiedCapabilities() {
        Chart.Rendered r = Chart.render(Chart.values());
        OperatorConfig config = operatorConfig(r);
        PodSpec pod = agentPod(config);
        Container c = pod.getContainers().get(0);
        SecurityContext sc = c.getSecurityContext();

        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).containsExactlyInAnyOrder("BPF", "PERFMON", "SYSLOG", "SYS_PTRACE",
                "DAC_READ_SEARCH");
        assertThat(sc.getCapabilities().getAdd()).doesNotContain("SYS_ADMIN", "NET_ADMIN", "NET_RAW");
        assertThat(sc.getRunAsUser()).as("root, held to those capabilities").isZero();
        assertThat(sc.getSeccompProfile().getType()).as("seccomp: some runtimes' default profiles refuse bpf(2)")
                .isEqualTo("Unconfined");
        assertThat(pod.getHostPID()).isFalse();
        assertThat(readOnly(c, "/sys/kernel/tracing")).as("tracefs").isTrue();
        assertThat(config.agent().baseConfig().capture().ftrace().enabled())
                .as("no ftrace window without a writable tracefs").isFalse();
        assertHostMounts(pod, c);
        assertThat(justifiedInValues()).as("the capabilities values.yaml explains")
                .containsExactlyInAnyOrderElementsOf(AgentDaemonSet.LEAST_PRIVILEGED_CAPABILITIES)
                .containsExactlyInAnyOrderElementsOf(sc.getCapabilities().getAdd());
    }

    @Test
    void privilegedAgentsAreprivilegedInTheHostPidNamespace() {
        Chart.Rendered r = Chart.render(Chart.values("agent.securityProfile", "privileged"));
        OperatorConfig config = operatorConfig(r);
        PodSpec pod = agentPod(config);
        Container c = pod.getContainers().get(0);

        assertThat(c.getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod.getHostPID()).isTrue();
        assertThat(readOnly(c, "/sys/kernel/tracing")).as("tracefs").isFalse();
        assertThat(config.agent().baseConfig().capture().ftrace().enabled()).isTrue();
        assertHostMounts(pod, c);
    }

    @Test
    void agentsRunOnEveryLinuxNodeWithTheChartsImageAndResources() {
        OperatorConfig config = operatorConfig(Chart.render(Chart.values("agent.image.repository", "registry.example/aod-agent",
                "agent.hostDataDir", "/var/lib/aod-bundles")));
        PodSpec pod = agentPod(config);
        Container c = pod.getContainers().get(0);

        assertThat(c.getImage()).isEqualTo("registry.example/aod-agent:0.1.0");
        assertThat(pod.getNodeSelector()).containsExactlyEntriesOf(Map.of("kubernetes.io/os", "linux"));
        assertThat(pod.getTolerations()).extracting(Toleration::getOperator).containsExactly("Exists");
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKey("memory");
        assertThat(hostPath(pod, c, "/var/lib/aod-bundles")).isEqualTo("/var/lib/aod-bundles");
        assertThat(config.agent().baseConfig().outputDir()).as("the agent writes where the host directory is mounted")
                .isEqualTo(Path.of("/var/lib/aod-bundles"));
        assertThat(config.agent().baseConfig().metrics().port()).isEqualTo(9464);
        assertThat(config.agent().baseConfig().metrics().address()).isEqualTo("0.0.0.0");
    }

    private static void assertHostMounts(PodSpec pod, Container c) {
        assertThat(hostPath(pod, c, "/sys/kernel/btf")).isEqualTo("/sys/kernel/btf");
        assertThat(readOnly(c, "/sys/kernel/btf")).isTrue();
        assertThat(hostPath(pod, c, "/sys/fs/bpf")).isEqualTo("/sys/fs/bpf");
        assertThat(hostPath(pod, c, "/sys/kernel/tracing")).isEqualTo("/sys/kernel/tracing");
        assertThat(hostPath(pod, c, "/host/proc")).isEqualTo("/proc");
        assertThat(readOnly(c, "/host/proc")).isTrue();
        assertThat(hostPath(pod, c, "/var/lib/aod")).isEqualTo("/var/lib/aod");
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getTolerations()).isNotEmpty();
    }

    static OperatorConfig operatorConfig(Chart.Rendered r) {
        try {
            return OperatorConfigLoader.parse(r.operatorConfig(), "chart", Map.of());
        } catch (OperatorConfigLoader.InvalidOperatorConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static PodSpec agentPod(OperatorConfig config) {
        DaemonSet ds = AgentDaemonSet.desired(config, new AgentDaemonSet.Mounts(List.of(), List.of()));
        return ds.getSpec().getTemplate().getSpec();
    }

    private static boolean readOnly(Container c, String mountPath) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(mountPath)).findFirst()
                .map(m -> Boolean.TRUE.equals(m.getReadOnly())).orElseThrow(() -> new AssertionError("no mount " + mountPath));
    }

    private static String hostPath(PodSpec pod, Container c, String mountPath) {
        String volume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(mountPath)).findFirst()
                .map(VolumeMount::getName).orElseThrow(() -> new AssertionError("no mount " + mountPath));
        return pod.getVolumes().stream().filter(v -> v.getName().equals(volume)).map(Volume::getHostPath)
                .findFirst().orElseThrow().getPath();
    }

    /** The capabilities listed, each with its reason, in the comment above agent.securityProfile. */
    private static List<String> justifiedInValues() {
        try {
            String values = Files.readString(Path.of("aod", "values.yaml"));
            String block = values.substring(values.indexOf("# leastPrivileged (default)"), values.indexOf("securityProfile:"));
            Matcher m = Pattern.compile("(?m)^\\s+#\\s+([A-Z_]+)\\s{2,}\\S.*$").matcher(block);
            return m.results().map(x -> x.group(1)).collect(Collectors.toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
