package dev.aod.agent.ship;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A directory standing in for a PVC; "down" is the volume not mounted (the directory is gone). */
final class DirectoryServer implements StoreServer {
    private final Path root;
    private final Path unmounted;

    DirectoryServer(Path tmp) {
        this.root = tmp.resolve("pvc");
        this.unmounted = tmp.resolve("pvc-unmounted");
    }

    @Override
    public String name() {
        return "directory";
    }

    @Override
    public void start() throws Exception {
        if (Files.exists(unmounted)) {
            Files.move(unmounted, root);
        }
        Files.createDirectories(root);
    }

    @Override
    public void stop() throws Exception {
        Files.move(root, unmounted);
    }

    @Override
    public String uploadYaml(Path secrets, String wrongSecret) {
        return "directory: {path: " + root + ", prefix: aod}\n";
    }

    @Override
    public void fixCredentials(Path secrets) {}

    @Override
    public Map<String, String> objects(String prefix) throws Exception {
        Map<String, String> out = new TreeMap<>();
        Path base = root.resolve(prefix);
        if (!Files.isDirectory(base)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(base)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList()) {
                out.put(root.relativize(f).toString(), TestBundles.sha256(f));
            }
        }
        return out;
    }

    @Override
    public List<String> leftovers(String prefix) throws Exception {
        Path base = root.resolve(prefix);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".")).map(f -> root.relativize(f).toString())
                    .toList();
        }
    }

    @Override
    public String secret() {
        return "no secret for a directory";
    }

    @Override
    public void close() {}
}
