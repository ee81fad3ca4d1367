package dev.aod.agent.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the file system of the output directory has room for another bundle. */
public final class DiskGuard {

    private final Path dir;
    private final long minFreeBytes;

    public DiskGuard(Path dir, long minFreeBytes) {
        this.dir = dir;
        this.minFreeBytes = minFreeBytes;
    }

    /** Free bytes left for us, or -1 when the file system cannot be asked. */
    public long usableBytes() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    public boolean hasRoom() {
        long free = usableBytes();
        return free < 0 || free >= minFreeBytes;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Whether an exception says the disk is full (ENOSPC or a quota). */
    public static boolean isDiskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
