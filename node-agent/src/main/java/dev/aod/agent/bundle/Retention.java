package dev.aod.agent.bundle;

import dev.aod.config.RetentionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bundle directory within its age and size limits. Runs every {@code interval}, so a bundle
 * never outlives {@code maxAge} by more than one interval. A bundle still waiting to be shipped is
 * kept past its age; it is deleted only when the size limit leaves no other choice, and then it is
 * logged and counted.
 */
public final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final Path bundleDir;
    private final RetentionSettings settings;
    private final ShippingState shipping;
    private final Clock clock;
    private long deleted;
    private long deletedUnshipped;

    public Retention(Path bundleDir, RetentionSettings settings, ShippingState shipping, Clock clock) {
        this.bundleDir = bundleDir;
        this.settings = settings;
        this.shipping = shipping;
        this.clock = clock;
    }

    public record Sweep(int expired, int overSize, int unshippedDeleted, int unshippedKept, long bytesLeft) {}

    private record Bundle(Path path, Instant modified, long bytes) {}

    public synchronized Sweep sweep() throws IOException {
        if (!Files.isDirectory(bundleDir)) {
            return new Sweep(0, 0, 0, 0, 0);
        }
        List<Bundle> bundles = new ArrayList<>();
        try (Stream<Path> files = Files.list(bundleDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(BundleWriter.SUFFIX)
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                try {
                    bundles.add(new Bundle(p, Files.getLastModifiedTime(p).toInstant(), Files.size(p)));
                } catch (java.nio.file.NoSuchFileException e) {
                    // shipped and removed meanwhile
                }
            }
        }
        bundles.sort(Comparator.comparing(Bundle::modified));
        Instant oldest = clock.instant().minus(settings.maxAge());
        int expired = 0;
        int unshippedKept = 0;
        List<Bundle> kept = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.modified().isBefore(oldest)) {
                if (shipping.isPending(b.path())) {
                    unshippedKept++;
                    kept.add(b);
                    log.warn("retention: {} is past its age limit but still waiting to be shipped; kept", b.path().getFileName());
                } else if (delete(b, "older than " + settings.maxAge())) {
                    expired++;
                }
            } else {
                kept.add(b);
            }
        }
        long total = kept.stream().mapToLong(Bundle::bytes).sum();
        int overSize = 0;
        int unshippedDeleted = 0;
        for (boolean unshipped : new boolean[] {false, true}) {
            for (Bundle b : List.copyOf(kept)) {
                if (total <= settings.maxTotalBytes()) {
                    break;
                }
                boolean pending = shipping.isPending(b.path());
                if (pending != unshipped) {
                    continue;
                }
                if (pending) {
                    log.error("retention: deleting {} although it was not shipped yet: the bundle directory is over "
                            + "its size limit ({} bytes) even without the shipped bundles", b.path().getFileName(),
                            settings.maxTotalBytes());
                }
                if (delete(b, "over the size limit")) {
                    kept.remove(b);
                    total -= b.bytes();
                    overSize++;
                    if (pending) {
                        unshippedDeleted++;
                        deletedUnshipped++;
                    }
                }
            }
        }
        return new Sweep(expired, overSize, unshippedDeleted, unshippedKept, total);
    }

    private boolean delete(Bundle b, String why) throws IOException {
        if (Files.deleteIfExists(b.path())) {
            deleted++;
            log.info("retention: deleted {} ({})", b.path().getFileName(), why);
            return true;
        }
        return false;
    }

    public synchronized long deleted() {
        return deleted;
    }

    public synchronized long deletedUnshipped() {
        return deletedUnshipped;
    }
}
