package dev.aod.agent.capture;

import java.nio.file.Path;

/**
 * Where the host's /proc, /sys, /etc and /var/log are: the real ones, or a host's mounted into a
 * container (e.g. /host/proc), or fixtures in tests.
 */
public record HostPaths(Path proc, Path sys, Path etc, Path varLog) {
    public static final HostPaths REAL = new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/etc"),
            Path.of("/var/log"));

    public Path debugfs() {
        return sys.resolve("kernel/debug");
    }
}
