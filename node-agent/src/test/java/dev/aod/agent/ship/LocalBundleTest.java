package dev.aod.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBundleTest {
    @TempDir
    Path dir;

    @Test
    void readsDigestsAndTheManifestOfARealBundle() throws Exception {
        Instant created = Instant.parse("2026-02-03T04:05:06Z");
        Path file = TestBundles.make(dir.resolve("bundles"), "aod_test_1", 3 << 20, created);

        LocalBundle b = LocalBundle.read(file);

        assertThat(b.bytes()).isEqualTo(Files.size(file));
        assertThat(b.sha256()).isEqualTo(TestBundles.sha256(file));
        assertThat(b.md5()).hasSize(32);
        assertThat(b.createdAt()).isEqualTo(created);
        assertThat(new String(b.manifest(), StandardCharsets.UTF_8)).contains("\"bundle\": \"aod_test_1\"");
        assertThat(b.name()).isEqualTo("aod_test_1");
    }

    @Test
    void aFileWithoutManifestStillShipsWithAStandIn() throws Exception {
        Path file = Files.writeString(dir.resolve("odd.tar.zst"), "not zstd");

        LocalBundle b = LocalBundle.read(file);

        assertThat(b.createdAt()).isEqualTo(Files.getLastModifiedTime(file).toInstant());
        assertThat(new String(b.manifest(), StandardCharsets.UTF_8)).contains("odd.tar.zst", "no readable manifest");
    }
}
