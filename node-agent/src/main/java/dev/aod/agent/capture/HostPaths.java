package dev.aod.agent.capture;

import java.nio.file.Path;

/**
 * Where the host's /proc, /sys, /etc and /var/log are: the real ones, or a host's mounted into a
 * container (e.g. /host/proc), or fixtures in tests.
 */
public record HostPaths(Path proc, Path sys, Path etc, Path varLog) {
    public static final HostPaths REAL = new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/etc"),
            Path.of("/var/log"));

    /**
     * A mount table file (mountinfo, mountstats) of the host's mount namespace: the agent's own on
     * the real host, else that of the mounted host's pid 1, since /proc/self of a mounted host /proc
     * is the agent's container (or nothing, without the host's PID namespace).
     */
    public Path mountTable(String file) {
        return proc.resolve(equals(REAL) ? "self" : "1").resolve(file);
    }

    /** A path of the host's file system: itself on the real host, else through pid 1's root. */
    public Path hostPath(String absolutePath) {
        return equals(REAL) ? Path.of(absolutePath) : proc.resolve("1/root").resolve(absolutePath.replaceFirst("^/+", ""));
    }

    public Path debugfs() {
        return sys.resolve("kernel/debug");
    }
}
