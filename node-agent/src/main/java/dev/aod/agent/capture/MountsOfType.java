package dev.aod.agent.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The mount points of given file-system types, from /proc/mounts. */
final class MountsOfType {
    private MountsOfType() {}

    static List<String> of(Path procMounts, Set<String> types) throws IOException {
        return Files.readAllLines(procMounts).stream()
                .map(l -> l.split(" "))
                .filter(f -> f.length > 2 && types.contains(f[2]))
                .map(f -> f[1].replace("\\040", " "))
                .toList();
    }
}
