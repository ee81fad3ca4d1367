package dev.aod.agent.ship;

import dev.aod.agent.bundle.BundleWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Real bundles (tar.zst, manifest first) with an incompressible payload of a chosen size. */
final class TestBundles {
    private TestBundles() {}

    static Path make(Path dir, String name, long payloadBytes, Instant createdAt) throws IOException {
        Path staging = Files.createTempDirectory(dir.getParent() == null ? dir : dir.getParent(), ".staging-" + name);
        Files.writeString(staging.resolve("manifest.json"), """
                {"format": "aod.dev/bundle/v1", "bundle": "%s", "createdAt": "%s", "note": "test bundle"}
                """.formatted(name, createdAt), StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        try (OutputStream out = Files.newOutputStream(staging.resolve("payload.bin"))) {
            byte[] buffer = new byte[1 << 20];
            for (long left = payloadBytes; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        }
        Files.createDirectories(dir);
        Path bundle = BundleWriter.pack(staging, dir, name);
        try (var files = Files.walk(staging)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return bundle;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest d = LocalBundle.digest("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(LocalBundle.digest("SHA-256").digest(bytes));
    }
}
