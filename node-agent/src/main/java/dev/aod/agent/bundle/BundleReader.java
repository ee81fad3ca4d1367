package dev.aod.agent.bundle;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads a bundle back: its files in archive order, and its manifest. */
public final class BundleReader {
    private BundleReader() {}

    public static Map<String, byte[]> files(Path bundle) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = new ZstdInputStream(new BufferedInputStream(Files.newInputStream(bundle)));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        return files;
    }

    public static Manifest manifest(Path bundle) throws IOException {
        byte[] json = files(bundle).get("manifest.json");
        if (json == null) {
            throw new IOException(bundle + " has no manifest.json");
        }
        return Bundler.JSON.readValue(json, Manifest.class);
    }
}
