package dev.aod.agent.attribute;

/**
 * Where a task runs, as far as its cgroup tells: a Kubernetes pod's UID and container ID, or a
 * systemd unit on a plain host.
 *
 * @param podUid empty outside Kubernetes
 * @param containerId the runtime's container ID, empty where the cgroup has none
 * @param unit the systemd unit or scope, empty where there is none
 */
public record Workload(String podUid, String containerId, String unit, String cgroupPath) {
    public static final Workload HOST = new Workload("", "", "", "/");

    public boolean isPod() {
        return !podUid.isEmpty();
    }
}
