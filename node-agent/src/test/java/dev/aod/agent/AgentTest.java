package dev.aod.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aod.agent.bundle.BundleReader;
import dev.aod.agent.bundle.Bundler;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.ActionCatalog;
import dev.aod.agent.capture.ActionResult;
import dev.aod.agent.capture.CaptureRunner;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.source.SyntheticEventSource;
import dev.aod.bpf.Event;
import dev.aod.config.ConfigLoader;
import dev.aod.config.LoadedConfig;
import dev.aod.protocol.SmbCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline with synthetic events (no kernel) and a fake /proc: detect → capture → bundle. */
class AgentTest {
    private static final long MS = 1_000_000;

    @TempDir
    Path out;
    @TempDir
    Path proc;

    private final SyntheticEventSource source = new SyntheticEventSource();
    private final CaptureRunner runner = new CaptureRunner();
    private final List<Path> bundles = new CopyOnWriteArrayList<>();
    private Agent agent;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(proc.resolve("fs/cifs"));
        Files.writeString(proc.resolve("fs/cifs/DebugData"), "Display Internal CIFS Data Structures for Debugging\n");
        Files.writeString(proc.resolve("fs/cifs/Stats"), "Resources in use\nCIFS Session: 1\n");
        LoadedConfig loaded = ConfigLoader.parse("""
                watch_interval_sec: 5
                aod_output_dir: %s
                guardian:
                  anomalies:
                    latency:
                      type: Latency
                      mode: trackonly
                      acceptable_count: 3
                      track_commands:
                        - command: SMB2_WRITE
                          threshold: 100
                      actions: [debugdata, stats]
                """.formatted(out), "test");
        Bundler bundler = new Bundler(loaded.config().outputDir(), loaded.config().bundleDir(), new ActionCatalog(proc),
                runner, new Manifest.NodeInfo("node-1", "6.1.0-test", "test"), MonotonicClock.SYSTEM);
        agent = new Agent(loaded.config(), source, bundler, MonotonicClock.SYSTEM);
        agent.onBundle(bundles::add);
        agent.start();
    }

    @AfterEach
    void stop() {
        agent.close();
        runner.close();
    }

    @Test
    void sustainedSlowWritesGiveOneCompleteBundle() throws Exception {
        long now = System.nanoTime();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(write(now + i * 100 * MS, 250 + i));
            events.add(Event.builder().tsNs(now + i * 100 * MS).latencyNs(500 * MS)
                    .command(SmbCommand.SMB2_READ.code()).build());
        }
        source.offer(events);

        await().atMost(Duration.ofSeconds(20)).until(() -> bundles.size() == 1);
        Path bundle = bundles.get(0);
        assertThat(bundle.getParent()).isEqualTo(out.resolve("batches"));
        assertThat(bundle.getFileName().toString()).matches("aod_\\d{8}T\\d{6}Z_latency_SMB2_WRITE_\\d+\\.tar\\.zst");

        Manifest m = BundleReader.manifest(bundle);
        assertThat(m.anomaly().command()).isEqualTo("SMB2_WRITE");
        assertThat(m.anomaly().thresholdMs()).isEqualTo(100.0);
        assertThat(m.anomaly().observed().count()).isEqualTo(3);
        assertThat(m.anomaly().observed().maxLatencyMs()).isGreaterThan(100.0);
        assertThat(m.anomaly().observed().commands()).isEqualTo(Map.of("SMB2_WRITE", 3));
        assertThat(m.events()).allSatisfy(e -> {
            assertThat(e.command()).isEqualTo("SMB2_WRITE");
            assertThat(e.comm()).isEqualTo("dd");
            assertThat(e.pid()).isEqualTo(4242);
        });
        assertThat(m.actions()).extracting(ActionResult::name, ActionResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("debugdata", ActionResult.Status.OK),
                org.assertj.core.groups.Tuple.tuple("stats", ActionResult.Status.OK));
        Map<String, byte[]> files = BundleReader.files(bundle);
        assertThat(files).containsKeys("manifest.json", "summary.txt", "cifs/DebugData.txt", "cifs/Stats.txt");
        assertThat(files.values()).allSatisfy(content -> assertThat(content).isNotEmpty());
        assertThat(new String(files.get("summary.txt"))).contains("mostly SMB2_WRITE (threshold 100.0 ms)");

        Thread.sleep(1000);
        assertThat(bundles).as("one bundle per cooldown, however long the slowdown").hasSize(1);
        assertThat(out.resolve(".staging")).isEmptyDirectory();
    }

    @Test
    void fastWritesGiveNoBundle() throws Exception {
        long now = System.nanoTime();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(write(now + i * MS, 99));
        }
        source.offer(events);

        await().atMost(Duration.ofSeconds(5)).until(source::isDrained);
        Thread.sleep(500);
        assertThat(bundles).isEmpty();
        assertThat(out.resolve("batches")).doesNotExist();
    }

    private static Event write(long tsNs, long latencyMs) {
        return Event.builder().tsNs(tsNs).latencyNs(latencyMs * MS).command(SmbCommand.SMB2_WRITE.code())
                .tgid(4242).pid(4242).comm("dd").sessionId(0xabc).requestId(7).build();
    }
}
