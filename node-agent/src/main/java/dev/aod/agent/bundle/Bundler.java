package dev.aod.agent.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aod.agent.capture.ActionCatalog;
import dev.aod.agent.capture.ActionResult;
import dev.aod.agent.capture.CaptureContext;
import dev.aod.agent.capture.CaptureRunner;
import dev.aod.agent.capture.FlightRecorder;
import dev.aod.agent.capture.RecordedEvent;
import dev.aod.agent.capture.Redactor;
import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.config.CaptureSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an anomaly into a bundle: runs its actions into a staging directory, removes credentials,
 * writes summary pages and a manifest with every file's sha256, and packs it atomically. A staging
 * directory a stopped agent left behind is packed at the next start as an incomplete bundle.
 */
public final class Bundler {
    private static final Logger log = LoggerFactory.getLogger(Bundler.class);
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path stagingDir;
    private final Path bundleDir;
    private final ActionCatalog catalog;
    private final CaptureRunner runner;
    private final CaptureSettings settings;
    private final FlightRecorder flightRecorder;
    private final Manifest.NodeInfo node;
    private final MonotonicClock clock;
    private final AtomicInteger sequence = new AtomicInteger();

    public Bundler(Path stagingDir, Path bundleDir, ActionCatalog catalog, CaptureRunner runner,
            CaptureSettings settings, FlightRecorder flightRecorder, Manifest.NodeInfo node, MonotonicClock clock) {
        this.stagingDir = stagingDir;
        this.bundleDir = bundleDir;
        this.catalog = catalog;
        this.runner = runner;
        this.settings = settings;
        this.flightRecorder = flightRecorder;
        this.node = node;
        this.clock = clock;
    }

    public Path create(Anomaly anomaly) throws IOException, InterruptedException {
        Instant now = Instant.now();
        long triggerNs = System.nanoTime();
        String name = String.format(Locale.ROOT, "aod_%s_%s_%s_%d", NAME_TIME.format(now),
                anomaly.kind().name().toLowerCase(Locale.ROOT), safe(anomaly.operation()), sequence.incrementAndGet());
        Path staging = stagingDir.resolve(name);
        Files.createDirectories(staging);
        try {
            CaptureContext context = new CaptureContext(anomaly, now, triggerNs, staging, settings);
            List<ActionResult> results = runner.run(catalog.resolve(anomaly.actions()), context);
            int redactions = redact(staging);
            List<RecordedEvent> events = anomaly.events().stream().map(e -> RecordedEvent.of(e, clock)).toList();
            List<RecordedEvent> window = flightRecorder
                    .between(triggerNs - settings.flightRecorder().toNanos(), triggerNs).stream()
                    .map(e -> RecordedEvent.of(e, clock)).toList();
            Manifest draft = new Manifest(Manifest.FORMAT, name + BundleWriter.SUFFIX, now, false, null, node,
                    anomalyInfo(anomaly), events, results, List.of(), redactions);
            Files.writeString(staging.resolve("summary.txt"), SummaryText.render(draft), StandardCharsets.UTF_8);
            Files.writeString(staging.resolve("summary.html"), SummaryHtml.render(draft, window), StandardCharsets.UTF_8);
            Manifest manifest = new Manifest(draft.format(), draft.bundle(), now, false, null, node, draft.anomaly(),
                    events, results, fileInfos(staging), redactions);
            JSON.writeValue(staging.resolve("manifest.json").toFile(), manifest);
            return BundleWriter.pack(staging, bundleDir, name);
        } finally {
            deleteTree(staging);
        }
    }

    /** Packs what stopped agents left in staging, and removes half-written archives. Returns the recovered bundles. */
    public List<Path> recover() throws IOException {
        List<Path> recovered = new ArrayList<>();
        if (Files.isDirectory(bundleDir)) {
            try (Stream<Path> files = Files.list(bundleDir)) {
                for (Path partial : files.filter(p -> p.getFileName().toString().endsWith(BundleWriter.PARTIAL_SUFFIX)).toList()) {
                    log.warn("removing {}: a bundle archive a stopped agent did not finish", partial);
                    Files.delete(partial);
                }
            }
        }
        if (!Files.isDirectory(stagingDir)) {
            return recovered;
        }
        try (Stream<Path> dirs = Files.list(stagingDir)) {
            for (Path staging : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (!hasFiles(staging)) {
                    deleteTree(staging);
                    continue;
                }
                Path old = staging.resolve("manifest.json");
                if (Files.exists(old)) {
                    Files.move(old, staging.resolve("manifest.unfinished.json"));
                }
                String name = staging.getFileName() + "_recovered";
                redact(staging);
                Manifest manifest = new Manifest(Manifest.FORMAT, name + BundleWriter.SUFFIX, Instant.now(), true,
                        "the agent stopped while this bundle was being made; packed at the next start with what had been"
                                + " captured", node, null, List.of(), List.of(), fileInfos(staging), 0);
                JSON.writeValue(staging.resolve("manifest.json").toFile(), manifest);
                Path bundle = BundleWriter.pack(staging, bundleDir, name);
                deleteTree(staging);
                log.warn("packed {} from a bundle a stopped agent left unfinished", bundle);
                recovered.add(bundle);
            }
        }
        return recovered;
    }

    private static int redact(Path staging) throws IOException {
        int count = 0;
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                count += Redactor.redact(f);
            }
        }
        return count;
    }

    private static List<Manifest.FileInfo> fileInfos(Path staging) throws IOException {
        List<Manifest.FileInfo> infos = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                String rel = staging.relativize(f).toString();
                if (!rel.equals("manifest.json")) {
                    infos.add(new Manifest.FileInfo(rel, Files.size(f), sha256(f)));
                }
            }
        }
        return infos;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Manifest.AnomalyInfo anomalyInfo(Anomaly a) {
        return new Manifest.AnomalyInfo(a.name(), a.policy(), a.kind().name(), a.protocol().name(), a.mount().server(),
                a.mount().share(), a.operation(), a.trigger().name(), a.summary(), millis(a.threshold()), a.minCount(),
                a.window().toMillis() / 1000.0,
                new Manifest.Observed(a.observedCount(), millis(a.maxLatency()), a.breakdown()),
                a.firstSeen(), a.lastSeen());
    }

    private static boolean hasFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.anyMatch(Files::isRegularFile);
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
