package dev.aod.agent.bundle;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs a staging directory into {@code <name>.tar.zst}. The archive is written under a hidden
 * {@code .partial} name, synced, then renamed: a crash never leaves a half bundle that looks whole.
 */
public final class BundleWriter {
    public static final String SUFFIX = ".tar.zst";
    public static final String PARTIAL_SUFFIX = ".partial";
    static final int ZSTD_LEVEL = 3;
    /** Files that lead the archive, so a reader streaming it sees them first. */
    private static final List<String> FIRST = List.of("manifest.json", "summary.txt");

    private BundleWriter() {}

    /** Writes {@code staging}'s files (manifest first) to {@code dir/name.tar.zst} and returns its path. */
    public static Path pack(Path staging, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name + SUFFIX);
        Path partial = dir.resolve("." + name + SUFFIX + PARTIAL_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(closeShielded(Channels.newOutputStream(channel)), 1 << 16);
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new ZstdOutputStream(out, ZSTD_LEVEL))) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    for (Path file : ordered(staging)) {
                        addFile(tar, file, staging.relativize(file).toString());
                    }
                    tar.finish();
                }
                channel.force(true);
            }
            moveAtomically(partial, target);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        return target;
    }

    /** Closing the archive stream must not close the channel: it is synced afterwards. */
    private static OutputStream closeShielded(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static List<Path> ordered(Path staging) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(staging)) {
            walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).forEach(files::add);
        }
        files.sort(Comparator.comparingInt(p -> {
            int i = FIRST.indexOf(staging.relativize(p).toString());
            return i < 0 ? FIRST.size() : i;
        }));
        return files;
    }

    /** Copies exactly the size taken at the start, so a file still growing (an abandoned action) cannot corrupt the archive. */
    private static void addFile(TarArchiveOutputStream tar, Path file, String entryName) throws IOException {
        long size = Files.size(file);
        TarArchiveEntry entry = new TarArchiveEntry(entryName);
        entry.setSize(size);
        entry.setModTime(Files.getLastModifiedTime(file));
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        byte[] buf = new byte[1 << 16];
        long left = size;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                tar.write(buf, 0, n);
                left -= n;
            }
        }
        java.util.Arrays.fill(buf, (byte) 0);
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            tar.write(buf, 0, n);
            left -= n;
        }
        tar.closeArchiveEntry();
    }
}
