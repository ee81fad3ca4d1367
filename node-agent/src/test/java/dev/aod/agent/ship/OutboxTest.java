package dev.aod.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(200));
    private static final Instant CREATED = Instant.parse("2026-04-05T06:07:08Z");

    @TempDir
    Path out;
    Path bundles;
    Path state;
    final FakeStore store = new FakeStore();
    final List<Outbox> opened = new ArrayList<>();

    @BeforeEach
    void dirs() throws Exception {
        bundles = Files.createDirectories(out.resolve("bundles"));
        state = out.resolve(".outbox");
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Outbox::close);
    }

    private Outbox open(BundleStore s) throws Exception {
        Outbox o = Outbox.builder(s, "aod", state).node("node-1").bundleDir(bundles).retry(FAST).start();
        opened.add(o);
        return o;
    }

    private Path bundle(String name) throws Exception {
        return TestBundles.make(bundles, name, 64 << 10, CREATED);
    }

    @Test
    void aSubmittedBundleIsPendingUntilTheStoreConfirmsIt() throws Exception {
        Outbox outbox = open(store);
        Path b = bundle("aod_a_1");

        outbox.submit(b);

        assertThat(outbox.isPending(b) || outbox.isShipped(b)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.isShipped(b) && !outbox.isPending(b));
        assertThat(store.objects).containsKey("aod/node-1/2026-04-05/aod_a_1.tar.zst");
        assertThat(store.manifests).containsKey("aod/node-1/2026-04-05/aod_a_1.manifest.json");
        assertThat(outbox.shipment(b)).get().satisfies(s -> {
            assertThat(s.uri()).isEqualTo("fake://aod/node-1/2026-04-05/aod_a_1.tar.zst");
            assertThat(s.sha256()).isEqualTo(TestBundles.sha256(b));
        });
        assertThat(outbox.shippedCount()).isEqualTo(1);
        assertThat(outbox.bytesShipped()).isEqualTo(Files.size(b));
        assertThat(outbox.status().healthy()).isTrue();
        assertThat(Files.exists(state.resolve("shipped/aod_a_1.tar.zst.json"))).isTrue();
        assertThat(Files.exists(state.resolve("pending/aod_a_1.tar.zst.json"))).isFalse();
    }

    @Test
    void aStoreThatIsDownIsRetriedWithGrowingDelaysAndTheBundleArrivesOnce() throws Exception {
        store.down = ShipException.Kind.UNREACHABLE;
        Outbox outbox = open(store);
        Path b = bundle("aod_b_1");
        outbox.submit(b);

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.failedAttempts() >= 4);
        OutboxStatus down = outbox.status();
        store.down = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.isShipped(b));

        assertThat(down.healthy()).isFalse();
        assertThat(down.lastError()).isEqualTo("fake store: store unreachable: Connection refused");
        assertThat(down.pending()).isEqualTo(1);
        assertThat(store.puts.get()).isEqualTo(1);
        assertThat(outbox.status().healthy()).isTrue();
        assertThat(outbox.status().lastError()).isEmpty();
        List<Long> t = List.copyOf(store.attemptNanos);
        assertThat(t.get(3) - t.get(2)).as("back-off grows").isGreaterThan((t.get(1) - t.get(0)) / 2);
    }

    @Test
    void pendingBundlesSurviveARestartAndShipAfterIt() throws Exception {
        store.down = ShipException.Kind.UNREACHABLE;
        Outbox first = open(store);
        Path b = bundle("aod_c_1");
        first.submit(b);
        await().atMost(Duration.ofSeconds(30)).until(() -> first.failedAttempts() >= 1);
        first.close();
        assertThat(Files.exists(state.resolve("pending/aod_c_1.tar.zst.json"))).isTrue();

        FakeStore up = new FakeStore();
        Outbox second = Outbox.builder(up, "aod", state).node("node-1").bundleDir(null).retry(FAST).start();
        opened.add(second);

        assertThat(second.isPending(b)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.isShipped(b));
        assertThat(up.puts.get()).isEqualTo(1);
    }

    @Test
    void aReplyLostAfterTheStoreTookTheBundleDoesNotMakeASecondCopy() throws Exception {
        store.loseNextReply = true;
        Outbox outbox = open(store);
        Path b = bundle("aod_d_1");

        outbox.submit(b);

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.isShipped(b));
        assertThat(outbox.failedAttempts()).isEqualTo(1);
        assertThat(store.puts.get()).isEqualTo(1);
        assertThat(store.objects).hasSize(1);
    }

    @Test
    void aChecksumTheStoreDoesNotConfirmIsAFailureAndIsRetried() throws Exception {
        store.corruptSha256 = "0".repeat(64);
        Outbox outbox = open(store);
        Path b = bundle("aod_e_1");

        outbox.submit(b);

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.failedAttempts() >= 2);
        assertThat(outbox.isPending(b)).isTrue();
        assertThat(outbox.status().lastError()).startsWith("fake store: verification failed: aod/node-1/2026-04-05/aod_e_1.tar.zst holds");
        store.corruptSha256 = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.isShipped(b));
    }

    @Test
    void bundlesWithoutAJournalEntryAreFoundAtStart() throws Exception {
        Path b = bundle("aod_f_1");
        Files.writeString(bundles.resolve(".aod_f_2.tar.zst.partial"), "half");

        Outbox outbox = open(store);

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.isShipped(b));
        assertThat(store.objects).hasSize(1);
    }

    @Test
    void aBundleDeletedBeforeShippingIsCountedAsLostAndDropped() throws Exception {
        store.down = ShipException.Kind.UNREACHABLE;
        Outbox outbox = open(store);
        Path b = bundle("aod_g_1");
        outbox.submit(b);
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.failedAttempts() >= 1);

        Files.delete(b);

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.lostCount() == 1);
        assertThat(outbox.isPending(b)).isFalse();
        assertThat(outbox.pendingCount()).isZero();
        assertThat(Files.exists(state.resolve("pending/aod_g_1.tar.zst.json"))).isFalse();
    }

    @Test
    void oneBundleTheStoreRefusesDoesNotHoldUpTheOthers() throws Exception {
        store.failBundle = name -> name.startsWith("aod_h_1");
        Outbox outbox = open(store);
        Path stuck = bundle("aod_h_1");
        Path next = bundle("aod_h_2");

        outbox.submit(stuck);
        outbox.submit(next);

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.isShipped(next));
        assertThat(outbox.isPending(stuck)).isTrue();
    }

    @Test
    void anUnreachableStoreAtStartIsAStatusNotAnError() throws Exception {
        store.down = ShipException.Kind.CREDENTIALS;

        Outbox outbox = open(store);

        await().atMost(Duration.ofSeconds(30)).until(() -> !outbox.status().healthy());
        assertThat(outbox.status().lastError()).isEqualTo("fake store: credentials refused: HTTP 403");
        assertThat(outbox.status().nextAttemptAt()).isNotNull();
        store.down = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.status().healthy());
    }

    @Test
    void twoOutboxesCannotShareAJournal() throws Exception {
        open(store);

        assertThatThrownBy(() -> open(new FakeStore())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another outbox");
    }

    @Test
    void closingStopsTheWorkerAndTheStore() throws Exception {
        Outbox outbox = open(store);

        outbox.close();

        assertThat(store.closed).isTrue();
        Outbox again = open(new FakeStore());
        assertThat(again.pendingCount()).isZero();
    }

    @Test
    void retentionSeesPendingBundlesThroughShippingState() throws Exception {
        store.down = ShipException.Kind.UNREACHABLE;
        Outbox outbox = open(store);
        Path b = bundle("aod_i_1");

        outbox.submit(b);

        dev.aod.agent.bundle.ShippingState shipping = outbox;
        assertThat(shipping.isPending(b)).isTrue();
        assertThat(shipping.isPending(bundles.resolve("other.tar.zst"))).isFalse();
    }
}
