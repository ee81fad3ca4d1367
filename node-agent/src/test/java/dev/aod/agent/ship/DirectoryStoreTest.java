package dev.aod.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aod.config.UploadTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStoreTest {
    @TempDir
    Path tmp;

    @Test
    void copiesVerifiesAndRenamesIntoPlace() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("pvc"));
        LocalBundle b = LocalBundle.read(TestBundles.make(tmp.resolve("bundles"), "aod_x_1", 20 << 20,
                Instant.parse("2026-05-06T07:08:09Z")));
        ObjectName name = ObjectName.of("aod", "n1", b);
        long[] lastProgress = {0};

        try (DirectoryStore store = new DirectoryStore(new UploadTarget.Directory(root, "aod"))) {
            StoredBundle stored = store.put(name, b, (bundle, sent, total) -> lastProgress[0] = sent);

            Path copy = root.resolve("aod/n1/2026-05-06/aod_x_1.tar.zst");
            assertThat(stored.uri()).isEqualTo(copy.toUri().toString());
            assertThat(stored.sha256()).isEqualTo(b.sha256()).isEqualTo(TestBundles.sha256(copy));
            assertThat(Files.readAllBytes(root.resolve("aod/n1/2026-05-06/aod_x_1.manifest.json"))).isEqualTo(b.manifest());
            assertThat(lastProgress[0]).isEqualTo(b.bytes());
            try (Stream<Path> files = Files.list(copy.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("aod_x_1.tar.zst",
                        "aod_x_1.manifest.json");
            }
            assertThat(store.find(name, b)).contains(stored);
        }
    }

    @Test
    void aMissingDirectoryIsNotCreatedButReported() throws Exception {
        Path root = tmp.resolve("not-mounted");
        LocalBundle b = LocalBundle.read(TestBundles.make(tmp.resolve("bundles"), "aod_y_1", 1024, Instant.now()));

        try (DirectoryStore store = new DirectoryStore(new UploadTarget.Directory(root, "aod"))) {
            assertThatThrownBy(() -> store.put(ObjectName.of("aod", "n1", b), b, Progress.NONE))
                    .isInstanceOfSatisfying(ShipException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ShipException.Kind.NOT_FOUND);
                        assertThat(e.getMessage()).isEqualTo("directory " + root + ": not found: " + root
                                + " does not exist or is not a directory (is the volume mounted?)");
                    });
        }
        assertThat(Files.exists(root)).isFalse();
    }
}
