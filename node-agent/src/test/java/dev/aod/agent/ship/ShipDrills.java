package dev.aod.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aod.config.AgentConfig;
import dev.aod.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drills every store goes through, against a real server on 127.0.0.1: a bundle arrives whole;
 * the store is down when the bundle is made and comes back; the agent is killed mid-upload and
 * restarted. Stores with credentials add the wrong-credentials drill. Each drill prints a DRILL
 * line with what it observed (attempts, announced delays, time to arrival).
 */
abstract class ShipDrills {
    static final RetryPolicy DRILL_RETRY = new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(2));
    static final String NODE = "drill-node";
    static final String PREFIX = "aod";

    @TempDir
    Path tmp;
    Path outputDir;
    Path bundleDir;
    Path secrets;
    StoreServer server;
    final List<Outbox> opened = new ArrayList<>();

    abstract StoreServer server(Path tmp) throws Exception;

    @BeforeEach
    void startServer() throws Exception {
        outputDir = Files.createDirectories(tmp.resolve("out"));
        bundleDir = Files.createDirectories(outputDir.resolve("bundles"));
        secrets = Files.createDirectories(tmp.resolve("secrets"));
        server = server(tmp);
        server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        opened.forEach(Outbox::close);
        server.close();
    }

    String configYaml(String wrongSecret) throws Exception {
        return """
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                node: %s
                outputDir: %s
                bundleDir: %s
                upload:
                %s
                """.formatted(NODE, outputDir, bundleDir, server.uploadYaml(secrets, wrongSecret).indent(2).stripTrailing());
    }

    Outbox open(String wrongSecret) throws Exception {
        AgentConfig config = ConfigLoader.parse(configYaml(wrongSecret), "drill").config();
        Outbox outbox = Outbox.builder(config).retry(DRILL_RETRY).start();
        opened.add(outbox);
        return outbox;
    }

    Path bundle(String name, long bytes) throws IOException {
        return TestBundles.make(bundleDir, name, bytes, Instant.now());
    }

    static String day() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC).format(Instant.now());
    }

    String dir() {
        return PREFIX + "/" + NODE + "/" + day() + "/";
    }

    void assertArrivedOnce(Path bundle) throws Exception {
        String name = bundle.getFileName().toString().replace(LocalBundle.SUFFIX, "");
        Map<String, String> objects = server.objects(PREFIX + "/");
        assertThat(objects).containsOnlyKeys(dir() + name + ".tar.zst", dir() + name + ".manifest.json");
        assertThat(objects.get(dir() + name + ".tar.zst")).isEqualTo(TestBundles.sha256(bundle));
        assertThat(objects.get(dir() + name + ".manifest.json"))
                .isEqualTo(TestBundles.sha256(LocalBundle.read(bundle).manifest()));
        assertThat(server.leftovers(PREFIX + "/")).isEmpty();
    }

    static void report(String line) {
        System.out.println("DRILL " + line);
    }

    @Test
    void aLargeBundleArrivesWholeWithItsManifest() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Outbox outbox = open(null);
            Path b = bundle("aod_whole_1", 20 << 20);

            outbox.submit(b);

            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.isShipped(b));
            assertArrivedOnce(b);
            assertThat(outbox.shipment(b).orElseThrow().uri()).endsWith(dir() + "aod_whole_1.tar.zst")
                    .doesNotContain("sig=");
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("aod_whole_1.tar.zst: ", " sent"));
            assertThat(String.join("\n", logs.lines())).doesNotContain(server.secret());
        }
    }

    @Test
    void drillStoreDownWhenTheBundleIsMadeItArrivesOnceWhenTheStoreReturns() throws Exception {
        server.stop();
        try (LogCapture logs = new LogCapture()) {
            Outbox outbox = open(null);
            Path b = bundle("aod_down_1", 12 << 20);

            outbox.submit(b);
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.failedAttempts() >= 4);
            OutboxStatus down = outbox.status();
            long downAttempts = outbox.failedAttempts();
            server.start();
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.isShipped(b));
            double arrival = (System.nanoTime() - back) / 1e9;

            assertThat(down.healthy()).isFalse();
            assertThat(down.lastError()).startsWith(outbox.target() + ": ");
            assertThat(down.lastError()).contains(expectedDownError());
            assertThat(down.pending()).isEqualTo(1);
            assertArrivedOnce(b);
            assertThat(outbox.status().healthy()).isTrue();
            report(String.format(Locale.ROOT, "%s store-down: %d failed attempts while down (\"%s\"), announced delays %s s, "
                    + "arrived %.2f s after the store came back, %d attempt(s) in all", server.name(), downAttempts,
                    down.lastError(), logs.retryDelays(), arrival, outbox.failedAttempts() + 1));
        }
    }

    /** What the status says while this store is down. */
    String expectedDownError() {
        return "store unreachable";
    }

    @Test
    void drillKilledMidUploadThenRestartedTheBundleArrivesIntact() throws Exception {
        Path config = Files.writeString(tmp.resolve("config.yaml"), configYaml(null));
        Path b = bundle("aod_killed_1", 48 << 20);

        Process first = child(config, "--submit", b.toString(), "--throttle-ms", "1000");
        BlockingQueue<String> lines = lines(first);
        String progress = waitFor(lines, "PROGRESS", Duration.ofSeconds(60));
        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(server.objects(PREFIX + "/")).as("nothing complete after the kill").isEmpty();
        assertThat(Files.exists(outputDir.resolve(".outbox/pending/aod_killed_1.tar.zst.json"))).isTrue();
        List<String> leftAfterKill = server.leftovers(PREFIX + "/");

        long restarted = System.nanoTime();
        Process second = child(config);
        BlockingQueue<String> after = lines(second);
        assertThat(waitFor(after, "PENDING", Duration.ofSeconds(60))).isEqualTo("PENDING 1");
        String shipped = waitFor(after, "SHIPPED", Duration.ofSeconds(120));
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        double arrival = (System.nanoTime() - restarted) / 1e9;

        assertThat(second.exitValue()).isZero();
        assertArrivedOnce(b);
        assertThat(Files.exists(outputDir.resolve(".outbox/shipped/aod_killed_1.tar.zst.json"))).isTrue();
        report(String.format(Locale.ROOT, "%s killed-mid-upload: killed after \"%s\" of a %d-byte bundle, left behind %s; "
                + "restarted agent shipped it in %.2f s (\"%s\": shipped, failed attempts), sha256 equal",
                server.name(), progress, Files.size(b), leftAfterKill, arrival, shipped));
    }

    void wrongCredentialsDrill() throws Exception {
        byte[] random = new byte[64];
        new java.security.SecureRandom().nextBytes(random);
        String wrong = java.util.Base64.getEncoder().encodeToString(random);
        try (LogCapture logs = new LogCapture()) {
            Outbox outbox = open(wrong);
            Path b = bundle("aod_creds_1", 1 << 20);

            outbox.submit(b);
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.failedAttempts() >= 3);
            OutboxStatus refused = outbox.status();

            assertThat(refused.healthy()).isFalse();
            assertThat(refused.lastError()).startsWith(outbox.target() + ": credentials refused: HTTP 403");
            assertThat(outbox.isPending(b)).isTrue();
            assertThat(Files.exists(b)).isTrue();
            assertThat(server.objects(PREFIX + "/")).isEmpty();
            String all = String.join("\n", logs.lines()) + refused;
            assertThat(all).doesNotContain(wrong).doesNotContain(server.secret());

            server.fixCredentials(secrets);
            long fixed = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.isShipped(b));
            assertArrivedOnce(b);
            report(String.format(Locale.ROOT, "%s wrong-credentials: \"%s\" after %d failed attempts, announced delays %s s, "
                    + "bundle kept and pending; after the Secret was fixed it arrived in %.2f s", server.name(),
                    refused.lastError(), refused.failedAttempts(), logs.retryDelays(), (System.nanoTime() - fixed) / 1e9));
        }
    }

    private Process child(Path config, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OutboxChild.class.getName(), config.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("child.log").toFile()))
                .start();
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    queue.add(line);
                }
            } catch (IOException e) {
                queue.add("EOF " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return queue;
    }

    private String waitFor(BlockingQueue<String> lines, String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no " + prefix + " line within " + timeout + "; child log:\n"
                        + Files.readString(tmp.resolve("child.log")));
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("TIMEOUT")) {
                throw new AssertionError(line + "\nchild log:\n" + Files.readString(tmp.resolve("child.log")));
            }
        }
    }
}
