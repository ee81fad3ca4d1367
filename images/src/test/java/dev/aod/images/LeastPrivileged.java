package dev.aod.images;

import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent's leastPrivileged profile: the capabilities the chart (through the operator's agent
 * DaemonSet) grants the agent container, with their bits and reasons, and that pod run with
 * containerd. AgentCapabilitiesIT shows each capability is needed for what its reason says;
 * docs/images.md has the same table.
 */
final class LeastPrivileged {
    record Capability(String name, int bit, String why) {}

    static final List<Capability> CAPABILITIES = List.of(
            new Capability("BPF", 39, "create BPF maps and load programs (bpf(2))"),
            new Capability("PERFMON", 38, "load tracing programs and attach them to tracepoints (perf_event_open(2))"),
            new Capability("SYSLOG", 34, "read the kernel log: dmesg (kernel.dmesg_restrict=1)"),
            new Capability("SYS_PTRACE", 19, "inspect host processes with more capabilities than the agent: "
                    + "/proc/PID/exe, fd links (ss -p), wchan"),
            new Capability("DAC_READ_SEARCH", 2, "read other users' 0400 files: /proc/PID/mountstats of a pod's "
                    + "process (the NFS statistics of its mount namespace)"));

    /** The node's data directory (the chart's agent.hostDataDir), mounted at the same path in the pod. */
    static final String DATA_DIR = "/var/lib/aod";
    /** Where the tests put the agent's configuration file; in a cluster the agent reads it from the API server. */
    static final String CONFIG_DIR = "/etc/aod";

    private LeastPrivileged() {}

    /** Mounts tracefs and bpffs where a node has them (systemd does it there; nothing does here). */
    static void prepareHost() throws IOException, InterruptedException {
        for (List<String> mount : List.of(List.of("tracefs", "/sys/kernel/tracing"), List.of("bpf", "/sys/fs/bpf"))) {
            if (Commands.run(Duration.ofSeconds(10), List.of("mountpoint", "-q", mount.get(1))).exitCode() != 0) {
                Commands.run(Duration.ofSeconds(10),
                        List.of("mount", "-t", mount.get(0), mount.get(0), mount.get(1))).require();
            }
        }
    }

    static List<String> names() {
        return CAPABILITIES.stream().map(Capability::name).toList();
    }

    /** The capability mask of NAMES, as /proc/PID/status shows it; each must be one of {@link #CAPABILITIES}. */
    static long mask(List<String> names) {
        long mask = 0;
        for (String name : names) {
            mask |= 1L << CAPABILITIES.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(name + " is not a capability of the profile")).bit();
        }
        return mask;
    }

    /**
     * The agent's container in the pod the operator creates from the chart's defaults (profile
     * leastPrivileged; {@link CtrContainer#fromPod}), with the test's DATADIR as the node's
     * {@value #DATA_DIR} and its CONFIGDIR mounted read-only at {@value #CONFIG_DIR}.
     */
    static CtrContainer.Spec pod(String image, Path dataDir, Path configDir) {
        PodSpec pod = InstalledChart.render(Map.of()).agentPod();
        return CtrContainer.fromPod(image, pod, Map.of(DATA_DIR, dataDir),
                        Map.of("spec.nodeName", nodeName(), "metadata.namespace", InstalledChart.NAMESPACE))
                .bind(configDir.toString(), CONFIG_DIR, true);
    }

    /** The node name the pod gets (spec.nodeName): this host's name. */
    static String nodeName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
