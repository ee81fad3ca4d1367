package dev.aod.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.config.LatencySpec;
import dev.aod.protocol.Layer;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SmbCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyDetectorTest {
    private static final long MS = 1_000_000;
    private static final long S = 1_000 * MS;
    private static final MonotonicClock EPOCH = ns -> Instant.EPOCH.plusNanos(ns);

    private final LatencySpec config = new LatencySpec("latency", "", Protocol.SMB, Layer.WIRE,
            Map.of("SMB2_WRITE", Duration.ofMillis(50), "SMB2_READ", Duration.ofMillis(20)),
            3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(5), List.of(), List.of("dmesg"));
    private final LatencyDetector detector = new LatencyDetector(config, MountLookup.NONE, EPOCH);
    private final List<Anomaly> fired = new ArrayList<>();
    private final List<Long> repeats = new ArrayList<>();
    private final AnomalySink sink = new AnomalySink() {
        @Override
        public void fired(Anomaly anomaly) {
            fired.add(anomaly);
        }

        @Override
        public void repeated(Anomaly.Key key, long count, long lastSeenNs) {
            repeats.add(count);
        }
    };

    @Test
    void firesWhenMinCountSlowRequestsCompleteWithinTheWindow() {
        feed(write(10 * S, 60), write(11 * S, 70), write(11 * S + 500 * MS, 80));

        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.trigger()).isEqualTo(Anomaly.Trigger.COUNT_IN_WINDOW);
            assertThat(a.operation()).isEqualTo("SMB2_WRITE");
            assertThat(a.threshold()).isEqualTo(Duration.ofMillis(50));
            assertThat(a.observedCount()).isEqualTo(3);
            assertThat(a.maxLatency()).isEqualTo(Duration.ofMillis(80));
            assertThat(a.firstSeen()).isEqualTo(Instant.EPOCH.plusSeconds(10));
            assertThat(a.lastSeen()).isEqualTo(Instant.EPOCH.plusMillis(11_500));
            assertThat(a.events()).hasSize(3);
            assertThat(a.actions()).containsExactly("dmesg");
        });
    }

    @Test
    void slowRequestsSpreadWiderThanTheWindowDoNotFire() {
        feed(write(10 * S, 60), write(11 * S, 60), write(12 * S + 1, 60), write(14 * S + 2, 60));

        assertThat(fired).isEmpty();
    }

    @Test
    void theWindowSlidesRatherThanResettingPerBatch() {
        feed(write(10 * S, 60));
        feed(write(13 * S, 60), write(14 * S, 60));
        assertThat(fired).isEmpty();
        feed(write(14 * S + 900 * MS, 60));

        assertThat(fired).singleElement().extracting(Anomaly::observedCount).isEqualTo(3);
    }

    @Test
    void requestsUnderTheirCommandsThresholdAreNotCounted() {
        feed(write(10 * S, 49), write(10 * S, 49), write(10 * S, 49), read(10 * S, 25), read(10 * S, 19));

        assertThat(fired).isEmpty();
    }

    @Test
    void eachCommandIsJudgedAgainstItsOwnThreshold() {
        feed(read(10 * S, 25), read(10 * S + 1, 25), write(10 * S + 2, 55));

        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.operation()).isEqualTo("SMB2_READ");
            assertThat(a.breakdown()).containsOnly(Map.entry("SMB2_READ", 2), Map.entry("SMB2_WRITE", 1));
        });
    }

    @Test
    void untrackedCommandsAreIgnored() {
        feed(event(10 * S, 500, SmbCommand.SMB2_CREATE), event(10 * S, 500, SmbCommand.SMB2_CREATE),
                event(10 * S, 500, SmbCommand.SMB2_CREATE), event(10 * S, 5000, SmbCommand.SMB2_CREATE));

        assertThat(fired).isEmpty();
    }

    @Test
    void aSingleRequestAtTheCeilingFiresAtOnce() {
        feed(write(10 * S, 1000));

        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.trigger()).isEqualTo(Anomaly.Trigger.CEILING);
            assertThat(a.observedCount()).isEqualTo(1);
            assertThat(a.maxLatency()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void sustainedSlownessFiresOncePerCooldownAndCountsTheRest() {
        for (long t = 0; t < 600; t++) {
            feed(write(t * S, 100), write(t * S + 1, 100), write(t * S + 2, 100));
        }

        assertThat(fired).hasSize(2);
        assertThat(fired.get(1).lastSeen()).isAfterOrEqualTo(Instant.EPOCH.plusSeconds(300));
        assertThat(repeats).hasSize(598).startsWith(2L, 3L, 4L);
    }

    @Test
    void eachMountIsCountedAndDeduplicatedApart() {
        MountKey a = new MountKey("10.0.0.1", "a");
        MountKey b = new MountKey("10.0.0.2", "b");
        LatencyDetector byMount = new LatencyDetector(config,
                (batch, i) -> batch.sessionId(i) == 1 ? a : b, EPOCH);
        EventBatch batch = new EventBatch(16);
        for (int i = 0; i < 3; i++) {
            batch.add(Event.builder().tsNs(S + i).latencyNs(60 * MS).command(9).sessionId(1).build());
            batch.add(Event.builder().tsNs(S + i).latencyNs(60 * MS).command(9).sessionId(2).build());
        }
        byMount.process(batch, sink);

        assertThat(fired).extracting(Anomaly::mount).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void aMountFilterKeepsOtherMountsOut() {
        LatencySpec onlyA = new LatencySpec("latency", "", Protocol.SMB, Layer.WIRE, config.thresholds(), 1,
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(5),
                List.of(new dev.aod.config.MountFilter("10.0.0.1", "")), List.of());
        LatencyDetector filtered = new LatencyDetector(onlyA,
                (batch, i) -> new MountKey(batch.sessionId(i) == 1 ? "10.0.0.1" : "10.0.0.2", "s"), EPOCH);
        EventBatch batch = new EventBatch(4);
        batch.add(Event.builder().tsNs(S).latencyNs(60 * MS).command(9).sessionId(2).build());
        batch.add(Event.builder().tsNs(S).latencyNs(60 * MS).command(9).sessionId(1).build());
        filtered.process(batch, sink);

        assertThat(fired).singleElement().extracting(an -> an.mount().server()).isEqualTo("10.0.0.1");
    }

    @Test
    void errorsAndOtherSourcesAreNotLatency() {
        feed(Event.builder().tsNs(S).latencyNs(S).command(9).kind(EventLayout.KIND_ERROR).build(),
                Event.builder().tsNs(S).latencyNs(S).command(9).source(EventLayout.SOURCE_NFS_RPC).build());

        assertThat(fired).isEmpty();
    }

    private void feed(Event... events) {
        EventBatch batch = new EventBatch(16);
        for (Event e : events) {
            batch.add(e);
        }
        detector.process(batch, sink);
    }

    private static Event write(long tsNs, long latencyMs) {
        return event(tsNs, latencyMs, SmbCommand.SMB2_WRITE);
    }

    private static Event read(long tsNs, long latencyMs) {
        return event(tsNs, latencyMs, SmbCommand.SMB2_READ);
    }

    private static Event event(long tsNs, long latencyMs, SmbCommand command) {
        return Event.builder().tsNs(tsNs).latencyNs(latencyMs * MS).command(command.code()).comm("dd").build();
    }
}
