package dev.aod.agent.attribute;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pod and container identity out of a cgroup path, for the kubelet's systemd and cgroupfs
 * drivers and the common runtimes (containerd, CRI-O, Docker).
 */
public final class CgroupPaths {
    // systemd driver: .../kubepods-burstable-pod1b2c_3d4e....slice/cri-containerd-<64 hex>.scope
    // cgroupfs driver: /kubepods/burstable/pod1b2c-3d4e-.../<64 hex>
    private static final Pattern POD = Pattern.compile("pod([0-9a-fA-F]{8}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{12})");
    private static final Pattern CONTAINER = Pattern.compile("(?:cri-containerd-|crio-|docker-|containerd-)?([0-9a-f]{64})(?:\\.scope)?$");
    private static final Pattern UNIT = Pattern.compile("([^/]+\\.(?:service|scope))$");

    private CgroupPaths() {}

    public static Workload parse(String path) {
        Matcher pod = POD.matcher(path);
        String podUid = pod.find() ? pod.group(1).replace('_', '-').toLowerCase() : "";
        String last = path.substring(path.lastIndexOf('/') + 1);
        Matcher container = CONTAINER.matcher(last);
        String containerId = container.find() ? container.group(1) : "";
        String unit = "";
        if (podUid.isEmpty()) {
            Matcher u = UNIT.matcher(path);
            unit = u.find() ? u.group(1) : "";
        }
        return new Workload(podUid, containerId, unit, path.isEmpty() ? "/" : path);
    }

    /** The cgroup v2 path of a process, from the content of /proc/PID/cgroup. */
    public static Optional<String> unifiedPath(String procCgroup) {
        for (String line : procCgroup.split("\n")) {
            if (line.startsWith("0::")) {
                return Optional.of(line.substring(3).strip());
            }
        }
        return Optional.empty();
    }
}
