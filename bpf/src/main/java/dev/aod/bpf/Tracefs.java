package dev.aod.bpf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where tracepoints are found; libbpf attaches tracepoint programs through it. */
public final class Tracefs {
    public static final Path DEFAULT = Path.of("/sys/kernel/tracing");
    private static final Path LEGACY = Path.of("/sys/kernel/debug/tracing");

    private Tracefs() {}

    /** The mounted tracefs, mounting it on /sys/kernel/tracing first when neither place has it. */
    public static synchronized Path ensureMounted() {
        if (Files.isDirectory(DEFAULT.resolve("events"))) {
            return DEFAULT;
        }
        if (Files.isDirectory(LEGACY.resolve("events"))) {
            return LEGACY;
        }
        Native n = Native.get();
        if (n.libc.mount("tracefs", DEFAULT.toString(), "tracefs", 0, null) != 0) {
            int errno = n.errno();
            throw new BpfException("tracefs is not mounted and mounting it on " + DEFAULT + " failed: "
                    + n.strerror(errno), errno, List.of());
        }
        return DEFAULT;
    }

    /** Whether the running kernel has this tracepoint ({@code system/event}), e.g. {@code cifs/smb3_cmd_done}. */
    public static boolean hasTracepoint(String systemAndEvent) {
        return Files.isDirectory(ensureMounted().resolve("events").resolve(systemAndEvent));
    }
}
