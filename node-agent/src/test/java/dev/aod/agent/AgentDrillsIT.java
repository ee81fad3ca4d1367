package dev.aod.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.aod.agent.bundle.BundleReader;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.ActionResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drills on the packaged agent, fed synthetic events (--events) so no kernel client is needed:
 * killed with SIGKILL in the middle of a bundle, an action that hangs, and a full disk.
 */
class AgentDrillsIT {
    private static final Path JAR = Path.of("target/aod-agent.jar");
    private static final String SLOW_WRITES = """
            {"atMs": 200, "probe": "smb-wire", "kind": "slow", "operation": "SMB2_WRITE", "latencyMs": 400, "pid": 77, "comm": "dd"}
            {"atMs": 210, "probe": "smb-wire", "kind": "slow", "operation": "SMB2_WRITE", "latencyMs": 450, "pid": 77, "comm": "dd"}
            {"atMs": 220, "probe": "smb-wire", "kind": "slow", "operation": "SMB2_WRITE", "latencyMs": 500, "pid": 77, "comm": "dd"}
            """;

    @TempDir
    Path dir;

    private Process agent;
    private Path mountedTmpfs;

    @AfterEach
    void cleanUp() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (mountedTmpfs != null) {
            new ProcessBuilder("umount", "-l", mountedTmpfs.toString()).start().waitFor();
        }
    }

    @Test
    void killedMidBundleLeavesNothingThatLooksCompleteAndRecoversItAtRestart() throws Exception {
        Path out = dir.resolve("out");
        Path fakeBin = hangingDmesg();
        agent = start(config(out, "actions: [stats, sysinfo, dmesg]", "actionTimeout: 60s"), events(SLOW_WRITES),
                fakeBin, 0);
        Path staging = out.resolve(".staging");
        await(Duration.ofSeconds(30), () -> contains(staging, "sysinfo.txt"), "the bundle being made");

        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(bundles(out)).as("no bundle may look complete after SIGKILL").isEmpty();

        agent = start(config(out, "actions: [stats]", ""), null, null, 0);
        await(Duration.ofSeconds(30), () -> !bundles(out).isEmpty(), "the recovered bundle");
        Path recovered = bundles(out).get(0);
        assertThat(recovered.getFileName().toString()).endsWith("_recovered.tar.zst");
        Manifest m = BundleReader.manifest(recovered);
        assertThat(m.incomplete()).isTrue();
        assertThat(m.files()).extracting(Manifest.FileInfo::path).contains("sysinfo.txt");
        assertThat(BundleReader.files(recovered).get("sysinfo.txt")).isNotEmpty();
        try (Stream<Path> left = Files.list(out.resolve("bundles"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }

    @Test
    void aHangingActionTimesOutAndTheBundleIsStillWritten() throws Exception {
        Path out = dir.resolve("out");
        agent = start(config(out, "actions: [dmesg, sysinfo]", "actionTimeout: 2s"), events(SLOW_WRITES),
                hangingDmesg(), 0);

        await(Duration.ofSeconds(30), () -> !bundles(out).isEmpty(), "a bundle");
        Manifest m = BundleReader.manifest(bundles(out).get(0));
        assertThat(m.actions()).extracting(ActionResult::name, ActionResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dmesg", ActionResult.Status.TIMED_OUT),
                org.assertj.core.groups.Tuple.tuple("sysinfo", ActionResult.Status.OK));
        assertThat(m.actions().get(0).durationMs()).isBetween(1900L, 10_000L);
        assertThat(agent.isAlive()).isTrue();
    }

    @Test
    void aFullDiskPausesCaptureWhileDetectionGoesOn() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "mounting a small tmpfs needs root");
        Path out = dir.resolve("small");
        Files.createDirectories(out);
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", out.toString()).start().waitFor())
                .isZero();
        mountedTmpfs = out;
        int port = freePort();
        StringBuilder many = new StringBuilder(SLOW_WRITES);
        for (int i = 0; i < 30; i++) {
            many.append("{\"atMs\": ").append(2000 + i * 10).append(", \"operation\": \"SMB2_WRITE\", \"latencyMs\": 300}\n");
        }
        agent = start(config(out, "actions: [sysinfo, dmesg]\n    cooldown: 0s", "minFreeSpace: 0",
                "metrics: {port: " + port + "}"), events(many.toString()), null, port);

        await(Duration.ofSeconds(30), () -> status(port).contains("\"anomalies\" : 11"), "eleven anomalies detected");
        String status = status(port);
        assertThat(status).contains("\"paused\" : true", "is full")
                .as("some bundles fit, one hit the full disk, the rest were not attempted")
                .containsPattern("\"notCaptured\" : ([5-9]|10)\\b")
                .containsPattern("\"bundleFailures\" : [1-9]\\b");
        assertThat(agent.isAlive()).isTrue();
        try (Stream<Path> staging = Files.list(out.resolve(".staging"))) {
            assertThat(staging).as("the abandoned bundle's staging is removed").isEmpty();
        }
        String metrics = http(port, "/metrics");
        assertThat(metrics).contains("aod_capture_paused 1.0", "aod_anomalies_not_captured_total{reason=\"capture_paused\"}",
                "aod_bundles_total{result=\"failed\"}");
    }

    @Test
    void aBundleMadeWhileTheStoreIsMissingIsShippedOnceItAppears() throws Exception {
        Path out = dir.resolve("out");
        Path store = dir.resolve("store");
        int port = freePort();
        agent = start(config(out, "actions: [sysinfo]", "", "metrics: {port: " + port + "}",
                "node: drill-node", "upload: {directory: {path: " + store + ", prefix: diag}}"),
                events(SLOW_WRITES), null, port);

        await(Duration.ofSeconds(30), () -> log().contains("not shipped (attempt 1)"), "a failed first attempt");
        assertThat(status(port)).contains("\"pending\" : 1", "\"healthy\" : false", "does not exist");
        Files.createDirectories(store);
        await(Duration.ofSeconds(30), () -> status(port).contains("\"shipped\" : 1"), "a shipped bundle");
        Path bundle = bundles(out).get(0);
        Path shipped;
        try (Stream<Path> walk = Files.walk(store)) {
            shipped = walk.filter(p -> p.getFileName().toString().equals(bundle.getFileName().toString()))
                    .findFirst().orElseThrow();
        }
        assertThat(store.relativize(shipped).toString()).startsWith("diag/drill-node/");
        assertThat(Files.mismatch(shipped, bundle)).isEqualTo(-1L);
        assertThat(status(port)).contains("\"pending\" : 0", "\"healthy\" : true");
        assertThat(http(port, "/metrics")).contains("aod_ship_shipped_bundles 1.0");
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("agent.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private Path hangingDmesg() throws IOException {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path dmesg = bin.resolve("dmesg");
        Files.writeString(dmesg, "#!/bin/sh\nexec sleep 120\n");
        Files.setPosixFilePermissions(dmesg, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private Path config(Path out, String anomalyExtra, String captureExtra, String... more) throws IOException {
        Path config = dir.resolve("config-" + System.nanoTime() + ".yaml");
        Files.writeString(config, """
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                outputDir: %s
                pollInterval: 20ms
                capture: {ftrace: {enabled: false}%s}
                %s
                anomalies:
                  - name: slow-writes
                    type: latency
                    protocol: smb
                    mode: trackonly
                    track: {SMB2_WRITE: 100ms}
                    minCount: 3
                    window: 10s
                    %s
                """.formatted(out, captureExtra.isEmpty() ? "" : ", " + captureExtra,
                more.length == 0 ? "metrics: {port: 0}" : String.join("\n", more), anomalyExtra));
        return config;
    }

    private Path events(String lines) throws IOException {
        Path f = dir.resolve("events-" + System.nanoTime() + ".jsonl");
        Files.writeString(f, lines);
        return f;
    }

    private Process start(Path config, Path events, Path pathPrefix, int port) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(java(), "-jar", JAR.toString(), "run", "--config",
                config.toString()));
        if (events != null) {
            cmd.addAll(List.of("--events", events.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()));
        if (pathPrefix != null) {
            Map<String, String> env = pb.environment();
            env.put("PATH", pathPrefix + ":" + env.get("PATH"));
        }
        return pb.start();
    }

    private void await(Duration timeout, BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout + "; agent log:\n"
                        + Files.readString(dir.resolve("agent.log")));
            }
            Thread.sleep(100);
        }
    }

    private static List<Path> bundles(Path out) {
        Path dir = out.resolve("bundles");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tar.zst")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean contains(Path staging, String file) {
        if (!Files.isDirectory(staging)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            return walk.anyMatch(p -> p.getFileName().toString().equals(file) && p.toFile().length() > 0);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static String status(int port) {
        try {
            return http(port, "/status");
        } catch (Exception e) {
            return "";
        }
    }

    private static String http(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
