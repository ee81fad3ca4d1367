package dev.aod.agent.attribute;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the cgroup id a probe records (bpf_get_current_cgroup_id: the inode number of the task's
 * cgroup v2 directory) to the workload it belongs to. The cgroup tree is walked once and again on a
 * miss, at most every {@code rescanNs}; pods come and go, so a miss is normal.
 */
public final class CgroupResolver {
    private final Path cgroupRoot;
    private final long rescanNs;
    private final Map<Long, Workload> byId = new HashMap<>();
    private long lastScanNs = Long.MIN_VALUE / 2;

    public CgroupResolver(Path cgroupRoot, long rescanNs) {
        this.cgroupRoot = cgroupRoot;
        this.rescanNs = rescanNs;
    }

    public synchronized Optional<Workload> resolve(long cgroupId) {
        Workload w = byId.get(cgroupId);
        if (w == null && System.nanoTime() - lastScanNs >= rescanNs) {
            scan();
            w = byId.get(cgroupId);
        }
        return Optional.ofNullable(w);
    }

    private void scan() {
        lastScanNs = System.nanoTime();
        byId.clear();
        if (!Files.isDirectory(cgroupRoot)) {
            return;
        }
        try {
            Files.walkFileTree(cgroupRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    Object inode = attrs.fileKey() == null ? null : inodeOf(attrs.fileKey().toString());
                    if (inode != null) {
                        String rel = "/" + cgroupRoot.relativize(dir).toString();
                        byId.put((Long) inode, CgroupPaths.parse(rel.equals("/") ? "/" : rel));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a cgroup vanished mid-walk; what was seen is kept and the next miss walks again
        }
    }

    /** The inode from a file key printed as "(dev=..,ino=..)". */
    private static Long inodeOf(String fileKey) {
        int at = fileKey.indexOf("ino=");
        if (at < 0) {
            return null;
        }
        int end = at + 4;
        while (end < fileKey.length() && Character.isDigit(fileKey.charAt(end))) {
            end++;
        }
        return Long.parseLong(fileKey.substring(at + 4, end));
    }
}
