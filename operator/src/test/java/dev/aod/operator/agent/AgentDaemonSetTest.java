package dev.aod.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentDaemonSetTest {

    static OperatorConfig config(String profile) throws Exception {
        return OperatorConfigLoader.parse("namespace: aod\nagent: {image: aod-agent:1, securityProfile: " + profile
                + ", tolerations: [{operator: Exists, effect: NoSchedule}]}\n", "t", Map.of());
    }

    private static AnomalyPolicy policy(String upload) {
        return Serialization.unmarshal("apiVersion: aod.dev/v1alpha1\nkind: AnomalyPolicy\nmetadata: {name: p}\n"
                + "spec: {protocols: [SMB], hung: {}, upload: " + upload + "}", AnomalyPolicy.class);
    }

    @Test
    void leastPrivilegedHasExactlyTheJustifiedCapabilities() throws Exception {
        DaemonSet ds = AgentDaemonSet.desired(config("leastPrivileged"), new AgentDaemonSet.Mounts(List.of(), List.of()));
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);

        assertThat(ds.getMetadata().getNamespace()).isEqualTo("aod");
        assertThat(c.getImage()).isEqualTo("aod-agent:1");
        assertThat(c.getSecurityContext().getPrivileged()).isFalse();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd())
                .containsExactly("BPF", "PERFMON", "SYSLOG", "SYS_PTRACE", "DAC_READ_SEARCH");
        assertThat(pod.getHostPID()).isFalse();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getEffect()).isEqualTo("NoSchedule"));
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(c.getVolumeMounts()).filteredOn(m -> m.getMountPath().startsWith("/host/"))
                .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(c.getEnv()).extracting(e -> e.getName()).contains("NODE_NAME");
    }

    @Test
    void podAnnotationsGoOnThePodTemplate() throws Exception {
        OperatorConfig config = OperatorConfigLoader.parse("agent: {image: aod-agent:1, podAnnotations: {checksum/upload: abc}}",
                "t", Map.of());
        DaemonSet ds = AgentDaemonSet.desired(config, new AgentDaemonSet.Mounts(List.of(), List.of()));

        assertThat(ds.getSpec().getTemplate().getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "checksum/upload", "abc", "kubectl.kubernetes.io/default-container", "agent"));
    }

    @Test
    void privilegedRunsPrivilegedInTheHostPidNamespace() throws Exception {
        DaemonSet ds = AgentDaemonSet.desired(config("privileged"), new AgentDaemonSet.Mounts(List.of(), List.of()));
        PodSpec pod = ds.getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod.getHostPID()).isTrue();
    }

    @Test
    void uploadSecretsAndClaimsAreMountedWhereTheConfigsPointAndOptional() throws Exception {
        AgentDaemonSet.Mounts mounts = AgentDaemonSet.mountsOf(List.of(
                policy("{azureBlob: {container: c, accountUrl: 'https://a', sasTokenSecret: {name: blob, key: sas}}}").getSpec(),
                policy("{s3: {bucket: b, credentialsSecret: {name: s3.keys}}}").getSpec(),
                policy("{persistentVolumeClaim: {claimName: shared}}").getSpec()));
        DaemonSet ds = AgentDaemonSet.desired(config("leastPrivileged"), mounts);
        List<Volume> volumes = ds.getSpec().getTemplate().getSpec().getVolumes();

        assertThat(volumes).filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getName() + "=" + v.getSecret().getSecretName() + ":" + v.getSecret().getOptional())
                .containsExactly("secret-blob=blob:true", "secret-s3-keys=s3.keys:true");
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .contains("/etc/aod/secrets/blob", "/etc/aod/secrets/s3.keys", "/var/lib/aod-upload/shared");
    }

    @Test
    void volumeNamesAreDnsLabels() {
        assertThat(AgentDaemonSet.volumeName("secret-", "a".repeat(80))).hasSizeLessThanOrEqualTo(63)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }
}
