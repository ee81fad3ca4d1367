package dev.aod.images;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's leastPrivileged profile: what the chart (and the operator's agent DaemonSet) grant
 * the agent container, reproduced with containerd for the tests. AgentCapabilitiesIT shows each
 * capability is needed for what its reason says; docs/images.md has the same table.
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

    /** The container's data directory: hostPath /var/lib/aod in the chart. */
    static final String DATA_DIR = "/var/lib/aod";
    static final String CONFIG_DIR = "/etc/aod";
    static final long MEMORY_LIMIT = 256L << 20;

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

    static long mask(List<String> names) {
        return CAPABILITIES.stream().filter(c -> names.contains(c.name())).mapToLong(c -> 1L << c.bit()).reduce(0, (a, b) -> a | b);
    }

    /**
     * The agent pod of the profile with these capabilities: host network, own PID namespace, no new
     * privileges, read-only root, RuntimeDefault seccomp (containerd's default profile), and the
     * mounts the operator's DaemonSet gives it (tracefs read-only, /dev/kmsg, host /proc, /sys,
     * /etc and /var/log read-only under /host, an emptyDir on /tmp).
     */
    static CtrContainer.Spec pod(String image, List<String> capabilities, Path dataDir, Path configDir) {
        return CtrContainer.spec(image)
                .capabilities(capabilities)
                .hostNetwork()
                .readOnlyRoot()
                .memoryLimit(MEMORY_LIMIT)
                .bind(dataDir.toString(), DATA_DIR, false)
                .bind(configDir.toString(), CONFIG_DIR, true)
                .bind("/sys/kernel/btf", "/sys/kernel/btf", true)
                .bind("/sys/fs/bpf", "/sys/fs/bpf", false)
                .bind("/sys/kernel/tracing", "/sys/kernel/tracing", true)
                .bind("/proc", "/host/proc", true)
                .bind("/sys", "/host/sys", true)
                .bind("/etc", "/host/etc", true)
                .bind("/var/log", "/host/var/log", true)
                .bind("/dev/kmsg", "/dev/kmsg", true)
                .tmpfs("/tmp");
    }
}
