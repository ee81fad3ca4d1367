package dev.aod.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {
    @TempDir
    Path staging;
    @TempDir
    Path out;

    @Test
    void packsEveryFileWithTheManifestFirst() throws IOException {
        Files.writeString(staging.resolve("dmesg.txt"), "[ 1.0] CIFS: VFS: \\\\127.0.0.1 has not responded\n");
        Files.createDirectories(staging.resolve("cifs"));
        Files.write(staging.resolve("cifs/Stats.txt"), new byte[200_000]);
        Files.writeString(staging.resolve("summary.txt"), "summary");
        Files.writeString(staging.resolve("manifest.json"), "{}");

        Path bundle = BundleWriter.pack(staging, out, "aod_test");

        assertThat(bundle).isEqualTo(out.resolve("aod_test.tar.zst"));
        Map<String, byte[]> files = BundleReader.files(bundle);
        assertThat(files.keySet()).containsExactly("manifest.json", "summary.txt", "cifs/Stats.txt", "dmesg.txt");
        assertThat(new String(files.get("dmesg.txt"), StandardCharsets.UTF_8)).contains("has not responded");
        assertThat(files.get("cifs/Stats.txt")).hasSize(200_000);
        assertThat(Files.size(bundle)).isLessThan(5_000);
        try (var listing = Files.list(out)) {
            assertThat(listing).containsExactly(bundle);
        }
    }

    @Test
    void aFailedPackLeavesNoPartialFile() throws IOException {
        Files.writeString(staging.resolve("manifest.json"), "{}");
        Files.createDirectories(out.resolve("aod_blocked.tar.zst/occupied"));

        assertThatThrownBy(() -> BundleWriter.pack(staging, out, "aod_blocked")).isInstanceOf(IOException.class);
        try (var listing = Files.list(out)) {
            assertThat(listing).containsExactly(out.resolve("aod_blocked.tar.zst"));
        }
    }
}
