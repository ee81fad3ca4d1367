package dev.aod.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.HostPaths;
import dev.aod.agent.report.StatusServer;
import dev.aod.agent.source.SyntheticEventSource;
import dev.aod.bpf.Event;
import dev.aod.config.ConfigLoader;
import dev.aod.config.LoadedConfig;
import dev.aod.protocol.SmbCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed configuration file is applied to the running agent; an invalid one is rejected and the last good one stays. */
class ConfigReloadTest {
    private static final long MS = 1_000_000;

    @TempDir
    Path dir;

    private Agent agent;
    private ConfigWatcher watcher;
    private StatusServer server;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (server != null) {
            server.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void appliesValidChangesAndRejectsInvalidOnes() throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, config("100ms"));
        LoadedConfig first = ConfigLoader.load(file);
        SyntheticEventSource source = new SyntheticEventSource();
        agent = Agent.builder(first, source)
                .host(new HostPaths(dir.resolve("p"), dir.resolve("s"), dir.resolve("e"), dir.resolve("l")))
                .node(new Manifest.NodeInfo("n", "k", "v"))
                .build();
        List<Path> bundles = new CopyOnWriteArrayList<>();
        agent.onBundle(bundles::add);
        agent.start();
        watcher = new ConfigWatcher(file, Files.readAllBytes(file), next -> {
            try {
                agent.reconfigure(next);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, rejected -> agent.rejected(rejected.errors().stream().map(Object::toString).toList()));
        server = new StatusServer("127.0.0.1", 0, agent.metrics(), agent::status, agent::healthy, agent::ready);

        Files.writeString(file, config("2s"));
        watcher.check();
        assertThat(agent.status().config().generation()).isEqualTo(2);
        source.offer(slowWrites(500));
        Thread.sleep(500);
        assertThat(bundles).as("500 ms is under the new 2 s threshold").isEmpty();

        Files.writeString(file, config("fast"));
        watcher.check();
        assertThat(agent.status().config().generation()).isEqualTo(2);
        assertThat(agent.status().config().rejected()).singleElement().asString()
                .startsWith("anomalies[0].track.SMB2_WRITE: must be a duration");
        String status = get("/status");
        assertThat(status).contains("\"rejected\" : [ \"anomalies[0].track.SMB2_WRITE: must be a duration");

        source.offer(slowWrites(2500));
        await().atMost(Duration.ofSeconds(10)).until(() -> bundles.size() == 1);
        assertThat(get("/metrics")).contains("aod_anomalies_total{anomaly=\"writes\",kind=\"latency\"} 1.0",
                "aod_request_latency_seconds_count{operation=\"SMB2_WRITE\",probe=\"smb-wire\"}");
        assertThat(get("/healthz")).isEqualTo("ok\n");
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<Event> slowWrites(long latencyMs) {
        long now = System.nanoTime();
        return List.of(write(now, latencyMs), write(now + MS, latencyMs), write(now + 2 * MS, latencyMs));
    }

    private static Event write(long ts, long latencyMs) {
        return Event.builder().tsNs(ts).latencyNs(latencyMs * MS).command(SmbCommand.SMB2_WRITE.code()).build();
    }

    private String config(String threshold) {
        return """
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                outputDir: %s
                pollInterval: 10ms
                capture: {ftrace: {enabled: false}}
                metrics: {port: 0}
                anomalies:
                  - {name: writes, type: latency, protocol: smb, mode: trackonly, track: {SMB2_WRITE: %s}, minCount: 3,
                     actions: [sysinfo]}
                """.formatted(dir.resolve("out"), threshold);
    }
}
