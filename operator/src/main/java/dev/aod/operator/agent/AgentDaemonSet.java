package dev.aod.operator.agent;

import dev.aod.api.v1alpha1.AnomalyPolicySpec;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.api.v1alpha1.SecretKeyRef;
import dev.aod.api.v1alpha1.Upload;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.config.SecurityProfile;
import dev.aod.operator.policy.PolicyTranslator;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The agent DaemonSet as the operator wants it: image, resources, tolerations and security
 * profile from the operator's configuration; the upload Secrets and volumes of the accepted
 * policies mounted where the rendered node configs expect them.
 */
public final class AgentDaemonSet {
    public static final String APP_LABEL = "app.kubernetes.io/name";
    public static final String APP = "aod-agent";
    static final String CONTAINER = "agent";
    static final int METRICS_PORT = 9464;

    /**
     * The leastPrivileged capability set. Each is needed for one thing:
     * BPF (load programs, create maps), PERFMON (attach to tracepoints, open perf events),
     * SYSLOG (read the kernel log for dmesg), SYS_PTRACE (read other processes' /proc entries
     * (stacks of blocked tasks, cgroup of the issuing process for pod attribution)),
     * DAC_READ_SEARCH (read root-only files: /proc/fs/cifs, /proc/self/mountstats of other
     * mount namespaces, the journal).
     */
    public static final List<String> LEAST_PRIVILEGED_CAPABILITIES =
            List.of("BPF", "PERFMON", "SYSLOG", "SYS_PTRACE", "DAC_READ_SEARCH");

    private AgentDaemonSet() {}

    /** What the policies need mounted: Secrets and PersistentVolumeClaims of upload targets. */
    public record Mounts(Collection<String> secrets, Collection<String> claims) {}

    public static Mounts mountsOf(Collection<AnomalyPolicySpec> specs) {
        TreeSet<String> secrets = new TreeSet<>();
        TreeSet<String> claims = new TreeSet<>();
        for (AnomalyPolicySpec s : specs) {
            Upload u = s.upload();
            if (u == null) {
                continue;
            }
            if (u.persistentVolumeClaim() != null && u.persistentVolumeClaim().claimName() != null) {
                claims.add(u.persistentVolumeClaim().claimName());
            }
            if (u.azureBlob() != null) {
                addSecret(secrets, u.azureBlob().connectionStringSecret());
                addSecret(secrets, u.azureBlob().sasTokenSecret());
            }
            if (u.s3() != null && u.s3().credentialsSecret() != null && u.s3().credentialsSecret().name() != null) {
                secrets.add(u.s3().credentialsSecret().name());
            }
        }
        return new Mounts(secrets, claims);
    }

    private static void addSecret(TreeSet<String> secrets, SecretKeyRef ref) {
        if (ref != null && ref.name() != null) {
            secrets.add(ref.name());
        }
    }

    public static DaemonSet desired(OperatorConfig config, Mounts mounts) {
        OperatorConfig.Agent a = config.agent();
        Map<String, String> selector = Map.of(APP_LABEL, APP, "app.kubernetes.io/instance", a.daemonSetName());
        Map<String, String> labels = new LinkedHashMap<>(selector);
        labels.put(NodeConfig.MANAGED_BY_LABEL, NodeConfig.MANAGED_BY);
        labels.put("app.kubernetes.io/component", "agent");
        boolean privileged = a.securityProfile() == SecurityProfile.PRIVILEGED;

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> volumeMounts = new ArrayList<>();
        hostPath(volumes, volumeMounts, "data", a.hostDataDir(), "DirectoryOrCreate", a.hostDataDir(), false);
        hostPath(volumes, volumeMounts, "btf", "/sys/kernel/btf", "Directory", "/sys/kernel/btf", true);
        hostPath(volumes, volumeMounts, "bpffs", "/sys/fs/bpf", "DirectoryOrCreate", "/sys/fs/bpf", false);
        hostPath(volumes, volumeMounts, "tracefs", "/sys/kernel/tracing", "", "/sys/kernel/tracing", !privileged);
        hostPath(volumes, volumeMounts, "host-proc", "/proc", "Directory", "/host/proc", true);
        hostPath(volumes, volumeMounts, "host-sys", "/sys", "Directory", "/host/sys", true);
        hostPath(volumes, volumeMounts, "host-etc", "/etc", "Directory", "/host/etc", true);
        hostPath(volumes, volumeMounts, "host-log", "/var/log", "Directory", "/host/var/log", true);
        if (!privileged) {
            hostPath(volumes, volumeMounts, "kmsg", "/dev/kmsg", "CharDevice", "/dev/kmsg", true);
        }
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withSizeLimit(
                new io.fabric8.kubernetes.api.model.Quantity("256Mi")).endEmptyDir().build());
        volumeMounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        for (String claim : mounts.claims()) {
            String name = volumeName("upload-", claim);
            volumes.add(new VolumeBuilder().withName(name).withNewPersistentVolumeClaim().withClaimName(claim)
                    .endPersistentVolumeClaim().build());
            volumeMounts.add(new VolumeMountBuilder().withName(name)
                    .withMountPath(PolicyTranslator.UPLOAD_DIR + "/" + claim).build());
        }
        for (String secret : mounts.secrets()) {
            String name = volumeName("secret-", secret);
            // optional: a missing Secret must not keep every agent pod from starting; the agent reports it.
            volumes.add(new VolumeBuilder().withName(name).withNewSecret().withSecretName(secret).withOptional(true)
                    .withDefaultMode(0400).endSecret().build());
            volumeMounts.add(new VolumeMountBuilder().withName(name).withReadOnly(true)
                    .withMountPath(PolicyTranslator.SECRETS_DIR + "/" + secret).build());
        }

        List<EnvVar> env = List.of(
                new EnvVarBuilder().withName("NODE_NAME").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("spec.nodeName").endFieldRef().endValueFrom().build(),
                new EnvVarBuilder().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build(),
                new EnvVarBuilder().withName("AOD_NODE_CONFIG_PREFIX").withValue("aod-node-").build());

        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(a.image())
                .withImagePullPolicy(a.imagePullPolicy())
                .withArgs(a.args())
                .withEnv(env)
                .withResources(a.resources())
                .withSecurityContext(securityContext(a.securityProfile()))
                .addNewPort().withName("metrics").withContainerPort(METRICS_PORT).withProtocol("TCP").endPort()
                .withLivenessProbe(probe("/healthz", 30))
                .withReadinessProbe(probe("/readyz", 10))
                .withVolumeMounts(volumeMounts);

        PodSpecBuilder pod = new PodSpecBuilder()
                .withServiceAccountName(a.serviceAccountName())
                .withHostNetwork(true)
                .withDnsPolicy("ClusterFirstWithHostNet")
                .withHostPID(privileged)
                .withNodeSelector(a.nodeSelector())
                .withTolerations(a.tolerations())
                .withTerminationGracePeriodSeconds(30L)
                .withContainers(container.build())
                .withVolumes(volumes);
        if (!a.priorityClassName().isEmpty()) {
            pod.withPriorityClassName(a.priorityClassName());
        }
        if (!a.imagePullSecrets().isEmpty()) {
            pod.withImagePullSecrets(a.imagePullSecrets().stream().map(LocalObjectReference::new).toList());
        }

        return new DaemonSetBuilder()
                .withNewMetadata()
                    .withName(a.daemonSetName())
                    .withNamespace(config.namespace())
                    .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate()
                        .withNewMaxUnavailable("10%").endRollingUpdate().endUpdateStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).addToAnnotations(new TreeMap<>(a.podAnnotations()))
                            .addToAnnotations("kubectl.kubernetes.io/default-container", CONTAINER).endMetadata()
                        .withSpec(pod.build())
                    .endTemplate()
                .endSpec()
                .build();
    }

    static SecurityContext securityContext(SecurityProfile profile) {
        if (profile == SecurityProfile.PRIVILEGED) {
            return new SecurityContextBuilder().withPrivileged(true).withRunAsUser(0L).build();
        }
        Capabilities caps = new CapabilitiesBuilder().withDrop("ALL").withAdd(LEAST_PRIVILEGED_CAPABILITIES).build();
        // bpf(2) and perf_event_open(2) are refused by some runtimes' default seccomp profiles even with CAP_BPF.
        return new SecurityContextBuilder()
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsUser(0L)
                .withCapabilities(caps)
                .withNewSeccompProfile().withType("Unconfined").endSeccompProfile()
                .build();
    }

    private static Probe probe(String path, int period) {
        return new ProbeBuilder().withNewHttpGet().withPath(path)
                .withPort(new io.fabric8.kubernetes.api.model.IntOrString("metrics")).endHttpGet()
                .withPeriodSeconds(period).withTimeoutSeconds(5).withFailureThreshold(3).build();
    }

    private static void hostPath(List<Volume> volumes, List<VolumeMount> mounts, String name, String path, String type,
            String mountPath, boolean readOnly) {
        volumes.add(new VolumeBuilder().withName(name).withNewHostPath().withPath(path).withType(type).endHostPath().build());
        VolumeMountBuilder m = new VolumeMountBuilder().withName(name).withMountPath(mountPath);
        if (readOnly) {
            m.withReadOnly(true);
        }
        mounts.add(m.build());
    }

    /** A volume name (DNS label, 63 characters) for a Secret or claim name. */
    static String volumeName(String prefix, String name) {
        String clean = (prefix + name.replace('.', '-'));
        if (clean.length() <= 63) {
            return clean;
        }
        String hash = Integer.toHexString(name.hashCode());
        return clean.substring(0, 62 - hash.length()).replaceAll("-+$", "") + "-" + hash;
    }
}
