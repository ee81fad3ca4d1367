package dev.aod.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.ship.Shipment;
import dev.aod.api.v1alpha1.AnomalyEvent;
import dev.aod.api.v1alpha1.AnomalyKind;
import dev.aod.api.v1alpha1.BundleState;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.api.v1alpha1.ProcessRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AnomalyEvents against Fabric8's mock API server: names, dedup, buckets, bundle states, attribution. */
class EventReporterTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:02:00Z");
    private static final String DETECTOR = "team-a.latency-smb";
    private static MockApi api;

    @TempDir
    Path dir;
    private String ns;
    private FakeAgent agent;
    private KubernetesClient client;
    private ApiQueue queue;
    private EventReporter reporter;
    private TestClock clock;

    @BeforeAll
    static void startApi() throws Exception {
        api = MockApi.start();
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    @BeforeEach
    void setUp() {
        ns = api.newNamespace();
        agent = new FakeAgent();
        client = api.agentClient();
        queue = new ApiQueue(client, 100, Duration.ofMillis(100), Duration.ofMillis(400), agent.registry);
        clock = new TestClock(T0);
        reporter = reporter();
    }

    private EventReporter reporter() {
        KubeSettings settings = KubeSettings.of("worker-1", ns).withBucket(Duration.ofMinutes(10));
        EventReporter r = new EventReporter(settings, queue, agent, new Attribution(null, null, null, null), clock,
                ns2 -> clock.instant());
        r.attach();
        return r;
    }

    @AfterEach
    void tearDown() {
        reporter.close();
        queue.close();
        client.close();
    }

    @Test
    void anAnomalyBecomesAnEventWithADeterministicNameLabelsAndTheTopProcesses() throws Exception {
        Anomaly a = Anomalies.latency(DETECTOR, "SMB2_WRITE", T0, Duration.ofMillis(1840),
                concat(Anomalies.writes("dd", 41, 3), Anomalies.writes("fio", 42, 1)));
        fire(a);

        String name = AnomalyEvent.nameFor("worker-1", DETECTOR, "files.example.com\ndata\nSMB2_WRITE",
                Instant.parse("2026-03-01T10:00:00Z"), AnomalyKind.LATENCY);
        AnomalyEvent e = awaitEvent(name, x -> x.getStatus() != null);
        assertThat(name).startsWith("worker-1.latency-");
        assertThat(e.getMetadata().getLabels()).containsEntry(NodeConfig.NODE_LABEL, "worker-1")
                .containsEntry(NodeConfig.POLICY_LABEL, "team-a");
        assertThat(e.getSpec().node()).isEqualTo("worker-1");
        assertThat(e.getSpec().anomaly()).isEqualTo(DETECTOR);
        assertThat(e.getSpec().server()).isEqualTo("files.example.com");
        assertThat(e.getSpec().share()).isEqualTo("data");
        assertThat(e.getSpec().operation()).isEqualTo("SMB2_WRITE");
        assertThat(e.getSpec().threshold()).isEqualTo("50ms");
        assertThat(e.getSpec().bucketStart()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(e.getStatus().count()).isEqualTo(1);
        assertThat(e.getStatus().observed()).isEqualTo("1.84s");
        assertThat(e.getStatus().firstSeen()).isEqualTo("2026-03-01T10:01:58Z");
        assertThat(e.getStatus().lastSeen()).isEqualTo("2026-03-01T10:02:00Z");
        assertThat(e.getStatus().top()).extracting(ProcessRef::command, ProcessRef::pid, ProcessRef::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dd", 41L, 3L),
                        org.assertj.core.groups.Tuple.tuple("fio", 42L, 1L));
        assertThat(e.getStatus().bundle().state()).isEqualTo(BundleState.PENDING);
    }

    @Test
    void repeatsBumpTheCountOfTheSameEventAndANewBucketGetsItsOwn() throws Exception {
        Anomaly a = Anomalies.latency(DETECTOR, "SMB2_WRITE", T0, Duration.ofMillis(200), Anomalies.writes("dd", 41, 3));
        fire(a);
        String first = reporter.names().get(0);
        awaitEvent(first, x -> x.getStatus() != null && x.getStatus().count() == 1);

        for (int count = 2; count <= 5; count++) {
            clock.advance(Duration.ofSeconds(10));
            repeat(a.key(), count);
        }
        reporter.tick();
        AnomalyEvent bumped = awaitEvent(first, x -> x.getStatus().count() == 5);
        assertThat(bumped.getStatus().lastSeen()).isEqualTo("2026-03-01T10:02:40Z");
        assertThat(events()).hasSize(1);

        clock.advance(Duration.ofMinutes(10));
        repeat(a.key(), 6);
        repeat(a.key(), 7);
        reporter.tick();
        assertThat(reporter.names()).hasSize(2);
        String second = reporter.names().get(1);
        AnomalyEvent next = awaitEvent(second, x -> x.getStatus() != null && x.getStatus().count() == 2);
        assertThat(next.getSpec().bucketStart()).isEqualTo("2026-03-01T10:10:00Z");
        assertThat(next.getStatus().bundle().state()).isEqualTo(BundleState.SKIPPED);
        assertThat(next.getStatus().bundle().message()).contains(first);
        assertThat(events()).hasSize(2);
        assertThat(awaitEvent(first, x -> true).getStatus().count()).isEqualTo(5);
    }

    @Test
    void aRestartedAgentContinuesTheCountOfTheEventItFindsOnTheServer() throws Exception {
        Anomaly a = Anomalies.latency(DETECTOR, "SMB2_WRITE", T0, Duration.ofMillis(200), Anomalies.writes("dd", 41, 3));
        fire(a);
        repeat(a.key(), 2);
        reporter.tick();
        String name = reporter.names().get(0);
        awaitEvent(name, x -> x.getStatus() != null && x.getStatus().count() == 2);

        reporter.close();
        reporter = reporter();
        fire(Anomalies.latency(DETECTOR, "SMB2_WRITE", T0.plusSeconds(30), Duration.ofMillis(300),
                Anomalies.writes("dd", 41, 3)));

        AnomalyEvent e = awaitEvent(name, x -> x.getStatus().count() == 3);
        assertThat(e.getStatus().firstSeen()).isEqualTo("2026-03-01T10:01:58Z");
        assertThat(events()).hasSize(1);
    }

    @Test
    void theBundleGoesFromPendingToShipped() throws Exception {
        agent.shipping = FakeAgent.outbox(true, 1);
        Anomaly a = Anomalies.latency(DETECTOR, "SMB2_WRITE", T0, Duration.ofMillis(200), Anomalies.writes("dd", 41, 3));
        fire(a);
        String name = reporter.names().get(0);
        Path bundle = Anomalies.bundle(dir, a, "aod_1");
        agent.pending.add(bundle.toAbsolutePath());
        agent.bundleListeners.forEach(l -> l.accept(bundle));

        AnomalyEvent pending = awaitEvent(name, x -> x.getStatus() != null && x.getStatus().bundle().uri() != null);
        assertThat(pending.getStatus().bundle().state()).isEqualTo(BundleState.PENDING);
        assertThat(pending.getStatus().bundle().uri()).isEqualTo(bundle.toAbsolutePath().toUri().toString());
        assertThat(pending.getStatus().bundle().bytes()).isPositive();

        agent.shipping = FakeAgent.outbox(false, 1);
        reporter.tick();
        AnomalyEvent failing = awaitEvent(name, x -> x.getStatus().bundle().state() == BundleState.FAILED);
        assertThat(failing.getStatus().bundle().message()).contains("store unreachable");

        agent.pending.clear();
        agent.shippedListeners.forEach(l -> l.accept(new Shipment(bundle, "s3://diag/aod/worker-1/aod_1.tar.zst", 1234,
                "ab".repeat(32), T0.plusSeconds(5))));
        AnomalyEvent shipped = awaitEvent(name, x -> x.getStatus().bundle().state() == BundleState.SHIPPED);
        assertThat(shipped.getStatus().bundle().uri()).isEqualTo("s3://diag/aod/worker-1/aod_1.tar.zst");
        assertThat(shipped.getStatus().bundle().sha256()).isEqualTo("ab".repeat(32));
    }

    @Test
    void withoutAnUploadTargetTheBundleIsLocal() throws Exception {
        Anomaly a = Anomalies.latency(DETECTOR, "SMB2_WRITE", T0, Duration.ofMillis(200), Anomalies.writes("dd", 41, 3));
        fire(a);
        Path bundle = Anomalies.bundle(dir, a, "aod_2");
        agent.bundleListeners.forEach(l -> l.accept(bundle));

        AnomalyEvent e = awaitEvent(reporter.names().get(0), x -> x.getStatus() != null && x.getStatus().bundle() != null
                && x.getStatus().bundle().state() == BundleState.LOCAL);
        assertThat(e.getStatus().bundle().uri()).startsWith("file:///").endsWith("aod_2.tar.zst");
    }

    @Test
    void aBundleNeverWrittenEndsFailed() throws Exception {
        Anomaly a = Anomalies.latency(DETECTOR, "SMB2_WRITE", T0, Duration.ofMillis(200), Anomalies.writes("dd", 41, 3));
        fire(a);
        clock.advance(Duration.ofMinutes(11));
        reporter.tick();
        AnomalyEvent e = awaitEvent(reporter.names().get(0), x -> x.getStatus() != null
                && x.getStatus().bundle().state() == BundleState.FAILED);
        assertThat(e.getStatus().bundle().message()).contains("no bundle was written");
    }

    private void fire(Anomaly a) throws InterruptedException {
        agent.sinks.forEach(s -> s.fired(a));
        reporter.drain();
    }

    private void repeat(Anomaly.Key key, long count) {
        agent.sinks.forEach(s -> s.repeated(key, count, 0));
    }

    private AnomalyEvent awaitEvent(String name, java.util.function.Predicate<AnomalyEvent> condition) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.client.resources(AnomalyEvent.class).inNamespace(ns).withName(name).get(),
                        e -> e != null && condition.test(e));
    }

    private List<AnomalyEvent> events() {
        return api.client.resources(AnomalyEvent.class).inNamespace(ns).list().getItems();
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
