package dev.aod.agent.ship;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox on disk, one small JSON file per bundle: {@code pending/<bundle>.json} from hand-over
 * until the store confirms, then {@code shipped/<bundle>.json}. Each file is written under a temporary
 * name, fsynced and renamed, so a kill at any moment leaves either the old or the new state.
 */
final class OutboxJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record Pending(Path bundle, Instant submittedAt) {}

    private final Path pendingDir;
    private final Path shippedDir;
    private final FileChannel lockFile;
    private final FileLock lock;

    OutboxJournal(Path dir) throws IOException {
        this.pendingDir = dir.resolve("pending");
        this.shippedDir = dir.resolve("shipped");
        Files.createDirectories(pendingDir);
        Files.createDirectories(shippedDir);
        this.lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockFile.close();
            throw new IllegalStateException("the outbox " + dir + " is in use by another outbox; close that one first");
        }
        this.lock = l;
    }

    List<Pending> pending() throws IOException {
        List<Pending> out = new ArrayList<>();
        for (Path file : entries(pendingDir)) {
            try {
                out.add(JSON.readValue(file.toFile(), Pending.class));
            } catch (IOException e) {
                log.warn("outbox: ignoring unreadable journal entry {} ({})", file, e.getMessage());
            }
        }
        out.sort(Comparator.comparing(Pending::submittedAt));
        return out;
    }

    Map<String, Shipment> shipped() throws IOException {
        Map<String, Shipment> out = new LinkedHashMap<>();
        for (Path file : entries(shippedDir)) {
            try {
                Shipment s = JSON.readValue(file.toFile(), Shipment.class);
                out.put(s.bundle().getFileName().toString(), s);
            } catch (IOException e) {
                log.warn("outbox: ignoring unreadable journal entry {} ({})", file, e.getMessage());
            }
        }
        return out;
    }

    void addPending(Pending p) throws IOException {
        write(pendingDir, p.bundle().getFileName().toString(), JSON.writeValueAsBytes(p));
    }

    /** Records the shipment before dropping the pending entry: a kill in between leaves both, read as shipped. */
    void markShipped(Shipment s) throws IOException {
        String name = s.bundle().getFileName().toString();
        write(shippedDir, name, JSON.writeValueAsBytes(s));
        dropPending(name);
    }

    void dropPending(String bundleFile) throws IOException {
        Files.deleteIfExists(pendingDir.resolve(bundleFile + ".json"));
    }

    void forgetShipped(String bundleFile) throws IOException {
        Files.deleteIfExists(shippedDir.resolve(bundleFile + ".json"));
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static void write(Path dir, String bundleFile, byte[] json) throws IOException {
        Path target = dir.resolve(bundleFile + ".json");
        Path tmp = dir.resolve("." + bundleFile + ".json.tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(json));
            out.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockFile.close();
    }
}
