package dev.aod.agent.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aod.agent.bundle.BundleWriter;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.MountKey;
import dev.aod.bpf.Event;
import dev.aod.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Anomalies and bundles as the agent makes them. */
final class Anomalies {
    static final MountKey MOUNT = new MountKey("files.example.com", "data");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Anomalies() {}

    static Event event(int tgid, String comm, long cgroupId, long latencyMs) {
        return Event.builder().tgid(tgid).pid(tgid).comm(comm).cgroupId(cgroupId)
                .latencyNs(Duration.ofMillis(latencyMs).toNanos()).build();
    }

    static Anomaly latency(String name, String operation, Instant at, Duration max, List<Event> events) {
        return new Anomaly(name, "team-a", Anomaly.Kind.LATENCY, Protocol.SMB, MOUNT, operation,
                Anomaly.Trigger.COUNT_IN_WINDOW, "slow " + operation, Duration.ofMillis(50), 3, Duration.ofSeconds(5),
                events.size(), max, Map.of(operation, events.size()), at.minusSeconds(2), at, events, List.of("dmesg"));
    }

    static List<Event> writes(String comm, int tgid, int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(event(tgid, comm, 0, 80));
        }
        return events;
    }

    /** A bundle whose manifest names {@code a}, as the Bundler writes it. */
    static Path bundle(Path dir, Anomaly a, String name) throws IOException {
        Path staging = Files.createTempDirectory(dir, "staging");
        Manifest.AnomalyInfo info = new Manifest.AnomalyInfo(a.name(), a.policy(), a.kind().name(), a.protocol().name(),
                a.mount().server(), a.mount().share(), a.operation(), a.trigger().name(), a.summary(), 50, 3, 5,
                new Manifest.Observed(a.observedCount(), a.maxLatency().toMillis(), a.breakdown()), a.firstSeen(),
                a.lastSeen());
        Manifest m = new Manifest(Manifest.FORMAT, name + ".tar.zst", a.lastSeen(), false, null,
                new Manifest.NodeInfo("worker-1", "6.1.0", "test"), info, List.of(), List.of(), List.of(), 0);
        JSON.writeValue(staging.resolve("manifest.json").toFile(), m);
        Files.createDirectories(dir.resolve("bundles"));
        return BundleWriter.pack(staging, dir.resolve("bundles"), name);
    }
}
