package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import org.junit.jupiter.api.Test;

class FlightRecorderTest {
    @Test
    void keepsTheNewestEventsAndSelectsByTime() {
        FlightRecorder recorder = new FlightRecorder(5);
        EventBatch batch = new EventBatch(8);
        for (int i = 1; i <= 8; i++) {
            batch.add(Event.builder().tsNs(i * 10L).requestId(i).comm("dd").build());
        }
        recorder.record(batch);

        assertThat(recorder.size()).isEqualTo(5);
        assertThat(recorder.between(0, 100)).extracting(Event::requestId).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(recorder.between(55, 75)).extracting(Event::requestId).containsExactly(6L, 7L);
        assertThat(recorder.between(0, 100).get(0).comm()).isEqualTo("dd");
    }
}
