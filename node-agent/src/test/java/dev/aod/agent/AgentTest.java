package dev.aod.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aod.agent.bundle.BundleReader;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.ActionResult;
import dev.aod.agent.capture.HostPaths;
import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.AnomalySink;
import dev.aod.agent.source.SyntheticEventSource;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventLayout;
import dev.aod.config.ConfigLoader;
import dev.aod.config.LoadedConfig;
import dev.aod.protocol.SmbCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline with synthetic events (no kernel) and a fake /proc: detect → capture → bundle. */
class AgentTest {
    private static final long MS = 1_000_000;

    @TempDir
    Path out;
    @TempDir
    Path host;

    private final SyntheticEventSource source = new SyntheticEventSource();
    private final List<Path> bundles = new CopyOnWriteArrayList<>();
    private final AtomicLong repeats = new AtomicLong();
    private Agent agent;

    private void start(String anomalies) throws Exception {
        Files.createDirectories(host.resolve("proc/fs/cifs"));
        Files.createDirectories(host.resolve("proc/1"));
        Files.createDirectories(host.resolve("etc"));
        Files.writeString(host.resolve("proc/fs/cifs/DebugData"), "Display Internal CIFS Data Structures for Debugging\n"
                + "Mount options: vers=3.1.1,password=hunter2,uid=0\n");
        Files.writeString(host.resolve("proc/fs/cifs/Stats"), "Resources in use\nCIFS Session: 1\n");
        Files.writeString(host.resolve("proc/1/mountinfo"), "36 25 0:32 / /mnt/smb rw - cifs //127.0.0.1/share rw\n");
        LoadedConfig loaded = ConfigLoader.parse("""
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                outputDir: %s
                pollInterval: 10ms
                capture: {flightRecorder: 30s, ftrace: {enabled: false}}
                metrics: {port: 0}
                anomalies:
                %s
                """.formatted(out, anomalies), "test");
        agent = Agent.builder(loaded, source)
                .host(new HostPaths(host.resolve("proc"), host.resolve("sys"), host.resolve("etc"), host.resolve("var/log")))
                .node(new Manifest.NodeInfo("node-1", "6.1.0-test", "test"))
                .build();
        agent.onBundle(bundles::add);
        agent.onAnomaly(new AnomalySink() {
            @Override
            public void fired(Anomaly anomaly) {}

            @Override
            public void repeated(Anomaly.Key key, long count, long lastSeenNs) {
                repeats.set(count);
            }
        });
        agent.start();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void sustainedSlowWritesGiveOneCompleteBundleAndARisingCount() throws Exception {
        start("""
                  - name: io-latency
                    type: latency
                    protocol: smb
                    mode: trackonly
                    track: {SMB2_WRITE: 100ms, SMB2_READ: 100ms}
                    minCount: 3
                    window: 5s
                    actions: [debugdata, stats, mounts, flight_recorder, journalctl]
                """);
        long now = System.nanoTime() - 2_000 * MS;
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(write(now + i * 100 * MS, 250 + i));
            events.add(Event.builder().tsNs(now + i * 100 * MS).latencyNs(500 * MS)
                    .command(SmbCommand.SMB2_CREATE.code()).build());
        }
        source.offer(events);

        await().atMost(Duration.ofSeconds(20)).until(() -> bundles.size() == 1);
        Path bundle = bundles.get(0);
        assertThat(bundle.getParent()).isEqualTo(out.resolve("bundles"));
        assertThat(bundle.getFileName().toString()).matches("aod_\\d{8}T\\d{6}Z_latency_SMB2_WRITE_\\d+\\.tar\\.zst");

        Manifest m = BundleReader.manifest(bundle);
        assertThat(m.incomplete()).isFalse();
        assertThat(m.anomaly().operation()).isEqualTo("SMB2_WRITE");
        assertThat(m.anomaly().thresholdMs()).isEqualTo(100.0);
        assertThat(m.anomaly().observed().count()).isEqualTo(3);
        assertThat(m.anomaly().observed().breakdown()).isEqualTo(Map.of("SMB2_WRITE", 3));
        assertThat(m.anomaly().summary()).contains("3 slow SMB requests", "mostly SMB2_WRITE (threshold 100 ms)");
        assertThat(m.events()).allSatisfy(e -> {
            assertThat(e.operation()).isEqualTo("SMB2_WRITE");
            assertThat(e.comm()).isEqualTo("dd");
            assertThat(e.pid()).isEqualTo(4242);
            assertThat(e.probe()).isEqualTo("smb-wire");
        });
        assertThat(m.actions()).extracting(ActionResult::name, ActionResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("debugdata", ActionResult.Status.OK),
                org.assertj.core.groups.Tuple.tuple("stats", ActionResult.Status.OK),
                org.assertj.core.groups.Tuple.tuple("mounts", ActionResult.Status.OK),
                org.assertj.core.groups.Tuple.tuple("flight_recorder", ActionResult.Status.OK),
                org.assertj.core.groups.Tuple.tuple("journalctl", m.actions().get(4).status()));
        Map<String, byte[]> files = BundleReader.files(bundle);
        assertThat(files.keySet()).startsWith("manifest.json").contains("summary.txt", "summary.html",
                "cifs/DebugData.txt", "cifs/Stats.txt", "mounts.txt", "flight-recorder.jsonl");
        for (Manifest.FileInfo f : m.files()) {
            assertThat(files.get(f.path())).as(f.path()).hasSize((int) f.bytes());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(files.get(f.path()))))
                    .as("sha256 of " + f.path()).isEqualTo(f.sha256());
        }
        assertThat(text(files, "cifs/DebugData.txt")).contains("password=<redacted>").doesNotContain("hunter2");
        assertThat(m.redactions()).isEqualTo(1);
        assertThat(text(files, "flight-recorder.jsonl").lines()).hasSizeGreaterThanOrEqualTo(6)
                .anySatisfy(l -> assertThat(l).contains("\"operation\":\"SMB2_CREATE\""));
        assertThat(text(files, "summary.html")).contains("<svg", "SMB2_WRITE", "threshold");

        await().atMost(Duration.ofSeconds(5)).until(() -> repeats.get() >= 2);
        assertThat(bundles).as("one bundle per cooldown, however long the slowdown").hasSize(1);
        assertThat(agent.status().counts().anomalies()).isEqualTo(1);
        assertThat(out.resolve(".staging")).isEmptyDirectory();
    }

    @Test
    void fastWritesGiveNoBundle() throws Exception {
        start("""
                  - {name: io-latency, type: latency, protocol: smb, mode: trackonly, track: {SMB2_WRITE: 100ms}, minCount: 3}
                """);
        long now = System.nanoTime();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(write(now + i * MS, 99));
        }
        source.offer(events);

        await().atMost(Duration.ofSeconds(5)).until(source::isDrained);
        Thread.sleep(300);
        assertThat(bundles).isEmpty();
        assertThat(agent.status().counts().events()).isEqualTo(50);
    }

    @Test
    void eachKindOfAnomalyGivesItsBundle() throws Exception {
        start("""
                  - {name: errors, type: error, protocol: smb, mode: trackonly, codes: [EACCES], minCount: 2, window: 10s, actions: [stats]}
                  - {name: hung, type: hung, protocol: nfs, after: 30s, actions: [stats]}
                  - {name: retransmits, type: session, protocol: nfs, events: [retransmit], minCount: 3, window: 1m, actions: [stats]}
                """);
        long now = System.nanoTime();
        source.offer(List.of(
                Event.builder().tsNs(now).kind(EventLayout.KIND_ERROR).command(SmbCommand.SMB2_CREATE.code())
                        .error(-13).status(0xc0000022).build(),
                Event.builder().tsNs(now + MS).kind(EventLayout.KIND_ERROR).command(SmbCommand.SMB2_CREATE.code())
                        .error(-13).status(0xc0000022).build(),
                Event.builder().tsNs(now + 2 * MS).source(EventLayout.SOURCE_NFS_RPC).kind(EventLayout.KIND_HUNG)
                        .command(1).latencyNs(45_000 * MS).build(),
                session(now + 3 * MS), session(now + 4 * MS), session(now + 5 * MS)));

        await().atMost(Duration.ofSeconds(20)).until(() -> bundles.size() == 3);
        Map<String, Manifest.AnomalyInfo> byName = new java.util.HashMap<>();
        for (Path b : bundles) {
            Manifest.AnomalyInfo a = BundleReader.manifest(b).anomaly();
            byName.put(a.name(), a);
        }
        assertThat(byName.get("errors").kind()).isEqualTo("ERROR");
        assertThat(byName.get("errors").observed().breakdown()).isEqualTo(Map.of("EACCES", 2));
        assertThat(byName.get("errors").operation()).isEqualTo("SMB2_CREATE");
        assertThat(byName.get("hung").kind()).isEqualTo("HUNG");
        assertThat(byName.get("hung").operation()).isEqualTo("READ");
        assertThat(byName.get("hung").summary()).contains("has not completed after 45000 ms");
        assertThat(byName.get("retransmits").kind()).isEqualTo("SESSION");
        assertThat(byName.get("retransmits").observed().breakdown()).isEqualTo(Map.of("retransmit", 3));
    }

    private static Event session(long ts) {
        return Event.builder().tsNs(ts).source(EventLayout.SOURCE_NFS_RPC).kind(EventLayout.KIND_SESSION)
                .command(dev.aod.protocol.SessionEvent.RETRANSMIT.ordinal()).aux(2).build();
    }

    private static String text(Map<String, byte[]> files, String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    private static Event write(long tsNs, long latencyMs) {
        return Event.builder().tsNs(tsNs).latencyNs(latencyMs * MS).command(SmbCommand.SMB2_WRITE.code())
                .tgid(4242).pid(4242).comm("dd").sessionId(0xabc).requestId(7).build();
    }
}
