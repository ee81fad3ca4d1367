package dev.aod.agent.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aod.agent.capture.ActionCatalog;
import dev.aod.agent.capture.ActionResult;
import dev.aod.agent.capture.CaptureRunner;
import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.source.Sources;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventLayout;
import dev.aod.protocol.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Turns an anomaly into a bundle: runs its capture actions, writes manifest and summary, packs. */
public final class Bundler {
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path outputDir;
    private final Path bundleDir;
    private final ActionCatalog catalog;
    private final CaptureRunner runner;
    private final Manifest.NodeInfo node;
    private final MonotonicClock clock;
    private final AtomicInteger sequence = new AtomicInteger();

    public Bundler(Path outputDir, Path bundleDir, ActionCatalog catalog, CaptureRunner runner,
            Manifest.NodeInfo node, MonotonicClock clock) {
        this.outputDir = outputDir;
        this.bundleDir = bundleDir;
        this.catalog = catalog;
        this.runner = runner;
        this.node = node;
        this.clock = clock;
    }

    public Path create(Anomaly anomaly) throws IOException, InterruptedException {
        Instant now = Instant.now();
        String name = String.format(Locale.ROOT, "aod_%s_%s_%s_%d", NAME_TIME.format(now),
                anomaly.kind().name().toLowerCase(Locale.ROOT), anomaly.command(), sequence.incrementAndGet());
        Path staging = outputDir.resolve(".staging").resolve(name);
        Files.createDirectories(staging);
        List<ActionResult> results = runner.run(catalog.resolve(anomaly.actions()), staging);
        Manifest manifest = new Manifest(Manifest.FORMAT, name + BundleWriter.SUFFIX, now, node,
                anomalyInfo(anomaly), anomaly.events().stream().map(this::eventInfo).toList(), results);
        JSON.writeValue(staging.resolve("manifest.json").toFile(), manifest);
        Files.writeString(staging.resolve("summary.txt"), Summary.render(manifest), StandardCharsets.UTF_8);
        Path bundle = BundleWriter.pack(staging, bundleDir, name);
        deleteTree(staging);
        return bundle;
    }

    private static Manifest.AnomalyInfo anomalyInfo(Anomaly a) {
        return new Manifest.AnomalyInfo(a.name(), a.kind().name(), a.protocol(), a.command(), a.trigger().name(),
                millis(a.threshold()), a.minCount(), a.window().toMillis() / 1000.0, millis(a.ceiling()),
                new Manifest.Observed(a.observedCount(), millis(a.maxLatency()), a.commandCounts()),
                a.firstSeen(), a.lastSeen());
    }

    private Manifest.EventInfo eventInfo(Event e) {
        return new Manifest.EventInfo(clock.toInstant(e.tsNs()), Sources.operationName(e.source(), e.command()),
                e.latencyNs() / 1e6, e.kind() == EventLayout.KIND_ERROR ? "ERROR" : "SLOW",
                e.status() == 0 ? null : String.format("0x%08x", e.status()),
                e.error() == 0 ? null : Errno.nameOf(e.error()),
                Long.toHexString(e.sessionId()), e.requestId(), Integer.toUnsignedLong(e.treeId()), e.tgid(), e.pid(),
                e.comm(), e.cgroupId());
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
