package dev.aod.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A bundle on the local disk as it is about to be shipped: its digests and its manifest.
 *
 * @param createdAt from the manifest, else the file's modification time; gives the date in object names
 * @param manifest the bundle's manifest.json as it is in the bundle (or a stand-in naming the bundle)
 */
public record LocalBundle(Path path, long bytes, String sha256, String md5, Instant createdAt, byte[] manifest) {
    public static final String SUFFIX = ".tar.zst";
    private static final ObjectMapper JSON = new ObjectMapper();

    public String fileName() {
        return path.getFileName().toString();
    }

    /** The bundle's name without {@value #SUFFIX}. */
    public String name() {
        String file = fileName();
        return file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : file;
    }

    public static LocalBundle read(Path path) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        long bytes = 0;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                md5.update(buffer, 0, n);
                bytes += n;
            }
        }
        byte[] manifest = manifestOf(path);
        Instant createdAt = createdAt(manifest);
        if (manifest == null) {
            ObjectNode standIn = JSON.createObjectNode().put("bundle", path.getFileName().toString())
                    .put("note", "the bundle holds no readable manifest.json");
            manifest = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(standIn);
        }
        if (createdAt == null) {
            createdAt = Files.getLastModifiedTime(path).toInstant();
        }
        return new LocalBundle(path, bytes, HexFormat.of().formatHex(sha256.digest()),
                HexFormat.of().formatHex(md5.digest()), createdAt, manifest);
    }

    private static byte[] manifestOf(Path path) {
        try (InputStream in = new ZstdInputStream(new BufferedInputStream(Files.newInputStream(path)));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile() && entry.getName().equals("manifest.json")) {
                    return tar.readAllBytes();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant createdAt(byte[] manifest) {
        if (manifest == null) {
            return null;
        }
        try {
            JsonNode created = JSON.readTree(new String(manifest, StandardCharsets.UTF_8)).path("createdAt");
            return created.isTextual() ? Instant.parse(created.asText()) : null;
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
