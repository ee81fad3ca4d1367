package dev.aod.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.config.ErrorSpec;
import dev.aod.config.HungSpec;
import dev.aod.config.SessionSpec;
import dev.aod.protocol.Layer;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SessionEvent;
import dev.aod.protocol.SmbCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The error, hung and session detectors with synthetic events. */
class DetectorsTest {
    private static final long S = 1_000_000_000L;
    private static final MonotonicClock EPOCH = ns -> Instant.EPOCH.plusNanos(ns);
    private final List<Anomaly> fired = new ArrayList<>();
    private final AnomalySink sink = new AnomalySink() {
        @Override
        public void fired(Anomaly anomaly) {
            fired.add(anomaly);
        }

        @Override
        public void repeated(Anomaly.Key key, long count, long lastSeenNs) {}
    };

    @Test
    void trackedErrorCodesCountAndOthersDoNot() {
        Detector d = new ErrorDetector(error(Set.of("EACCES", "EIO"), false, Set.of()), MountLookup.NONE, EPOCH);
        feed(d, err(S, SmbCommand.SMB2_CREATE, 13), err(S + 1, SmbCommand.SMB2_CREATE, 2), err(S + 2, SmbCommand.SMB2_WRITE, 5));

        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Anomaly.Kind.ERROR);
            assertThat(a.breakdown()).isEqualTo(Map.of("EACCES", 1, "EIO", 1));
            assertThat(a.summary()).contains("2 failed SMB requests");
        });
    }

    @Test
    void excludedCodesNeverCount() {
        Detector d = new ErrorDetector(error(Set.of("ENOENT"), true, Set.of()), MountLookup.NONE, EPOCH);
        feed(d, err(S, SmbCommand.SMB2_CREATE, 2), err(S + 1, SmbCommand.SMB2_CREATE, 2), err(S + 2, SmbCommand.SMB2_CREATE, 2));
        assertThat(fired).isEmpty();

        feed(d, err(S + 3, SmbCommand.SMB2_CREATE, 13), err(S + 4, SmbCommand.SMB2_READ, 11));
        assertThat(fired).singleElement().extracting(Anomaly::breakdown).isEqualTo(Map.of("EACCES", 1, "EAGAIN", 1));
    }

    @Test
    void errorsOfOperationsNotWatchedAreIgnored() {
        Detector d = new ErrorDetector(error(Set.of(), true, Set.of("SMB2_WRITE")), MountLookup.NONE, EPOCH);
        feed(d, err(S, SmbCommand.SMB2_CREATE, 13), err(S + 1, SmbCommand.SMB2_CREATE, 13));
        assertThat(fired).isEmpty();
    }

    @Test
    void aHungRequestFiresOnceItIsOldEnough() {
        Detector d = new HungDetector(new HungSpec("hung", "", Protocol.SMB, Duration.ofSeconds(30), Set.of(),
                Duration.ofMinutes(5), List.of(), List.of()), MountLookup.NONE, EPOCH);
        feed(d, hung(S, SmbCommand.SMB2_READ, 10 * S));
        assertThat(fired).isEmpty();

        feed(d, hung(2 * S, SmbCommand.SMB2_READ, 31 * S));
        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.trigger()).isEqualTo(Anomaly.Trigger.HUNG);
            assertThat(a.operation()).isEqualTo("SMB2_READ");
            assertThat(a.threshold()).isEqualTo(Duration.ofSeconds(30));
            assertThat(a.maxLatency()).isEqualTo(Duration.ofSeconds(31));
        });
    }

    @Test
    void sessionEventsCountInTheirWindow() {
        Detector d = new SessionDetector(new SessionSpec("reconnects", "", Protocol.SMB,
                EnumSet.of(SessionEvent.RECONNECT), 2, Duration.ofMinutes(1), Duration.ofMinutes(5), List.of(), List.of()),
                MountLookup.NONE, EPOCH);
        feed(d, session(S, SessionEvent.CREDIT_TIMEOUT), session(2 * S, SessionEvent.RECONNECT));
        assertThat(fired).isEmpty();

        feed(d, session(50 * S, SessionEvent.RECONNECT));
        assertThat(fired).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Anomaly.Kind.SESSION);
            assertThat(a.operation()).isEqualTo("reconnect");
            assertThat(a.breakdown()).isEqualTo(Map.of("reconnect", 2));
        });
    }

    private void feed(Detector d, Event... events) {
        EventBatch batch = new EventBatch(16);
        for (Event e : events) {
            batch.add(e);
        }
        d.process(batch, sink);
    }

    private static ErrorSpec error(Set<String> codes, boolean exclude, Set<String> operations) {
        return new ErrorSpec("errors", "", Protocol.SMB, Layer.WIRE, codes, exclude, operations, 2,
                Duration.ofSeconds(10), Duration.ofMinutes(5), List.of(), List.of());
    }

    private static Event err(long ts, SmbCommand command, int errno) {
        return Event.builder().tsNs(ts).kind(EventLayout.KIND_ERROR).command(command.code()).error(-errno).build();
    }

    private static Event hung(long ts, SmbCommand command, long ageNs) {
        return Event.builder().tsNs(ts).kind(EventLayout.KIND_HUNG).command(command.code()).latencyNs(ageNs).build();
    }

    private static Event session(long ts, SessionEvent event) {
        return Event.builder().tsNs(ts).kind(EventLayout.KIND_SESSION).command(event.ordinal()).build();
    }
}
