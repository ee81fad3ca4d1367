package dev.aod.agent.ship;

import dev.aod.config.UploadTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A directory, typically a PVC or hostPath mount. Each file is written under a temporary name,
 * fsynced, read back and checked against the bundle's sha256, then renamed into place. The directory
 * itself must exist: creating it would hide a volume that failed to mount.
 */
final class DirectoryStore implements BundleStore {
    private static final int CHUNK = 8 << 20;

    private final Path root;
    private final String describe;

    DirectoryStore(UploadTarget.Directory target) {
        this.root = target.path();
        this.describe = "directory " + root;
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public void probe() throws ShipException {
        if (!Files.isDirectory(root)) {
            throw new ShipException(ShipException.Kind.NOT_FOUND, describe,
                    root + " does not exist or is not a directory (is the volume mounted?)");
        }
        if (!Files.isWritable(root)) {
            throw new ShipException(ShipException.Kind.CREDENTIALS, describe, root + " is not writable");
        }
    }

    @Override
    public Optional<StoredBundle> find(ObjectName name, LocalBundle bundle) throws ShipException {
        probe();
        Path dir = root.resolve(name.directory());
        Path target = dir.resolve(name.bundleFile());
        try {
            if (!Files.isRegularFile(target) || Files.size(target) != bundle.bytes()
                    || !Files.isRegularFile(dir.resolve(name.manifestFile()))) {
                return Optional.empty();
            }
            String sha256 = sha256(target);
            return sha256.equals(bundle.sha256())
                    ? Optional.of(new StoredBundle(target.toUri().toString(), bundle.bytes(), sha256))
                    : Optional.empty();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public StoredBundle put(ObjectName name, LocalBundle bundle, Progress progress) throws ShipException {
        probe();
        Path dir = root.resolve(name.directory());
        try {
            Files.createDirectories(dir);
            String sha256 = write(dir, name.bundleFile(), Content.of(bundle.path(), bundle.bytes()), bundle.sha256(),
                    sent -> progress.sent(bundle.fileName(), sent, bundle.bytes()));
            write(dir, name.manifestFile(), Content.of(bundle.manifest()),
                    HexFormat.of().formatHex(LocalBundle.digest("SHA-256").digest(bundle.manifest())), sent -> {});
            Path target = dir.resolve(name.bundleFile());
            return new StoredBundle(target.toUri().toString(), Files.size(target), sha256);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Writes, fsyncs, reads back and renames; returns the sha256 read back. */
    private String write(Path dir, String file, Content content, String sha256, java.util.function.LongConsumer sent)
            throws IOException, ShipException {
        Path partial = dir.resolve("." + file + ".partial");
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long written = 0;
            for (Content.Chunk chunk : content.chunks(CHUNK)) {
                try (InputStream in = chunk.open()) {
                    ByteBuffer buffer = ByteBuffer.wrap(in.readAllBytes());
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
                written += chunk.length();
                sent.accept(written);
            }
            out.force(true);
        }
        String copied = sha256(partial);
        if (!copied.equals(sha256)) {
            Files.deleteIfExists(partial);
            throw new ShipException(ShipException.Kind.INTEGRITY, describe,
                    dir.resolve(file) + " read back with sha256 " + copied + ", expected " + sha256);
        }
        Path target = dir.resolve(file);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        return copied;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha256 = LocalBundle.digest("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private ShipException failure(IOException e) {
        if (e instanceof AccessDeniedException) {
            return new ShipException(ShipException.Kind.CREDENTIALS, describe, "permission denied: " + e.getMessage());
        }
        if (e instanceof NoSuchFileException) {
            return new ShipException(ShipException.Kind.NOT_FOUND, describe, "no such file: " + e.getMessage());
        }
        String detail = e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getFile() + ": " + fs.getReason() : String.valueOf(e.getMessage());
        return new ShipException(ShipException.Kind.FAILED, describe, detail);
    }

    @Override
    public void close() {}
}
