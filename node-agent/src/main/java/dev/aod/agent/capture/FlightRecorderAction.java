package dev.aod.agent.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.bpf.Event;
import java.nio.file.Path;
import java.time.Duration;

/** The probe events of the flight-recorder window before the trigger, one JSON object per line. */
public record FlightRecorderAction(FlightRecorder recorder, MonotonicClock clock, Duration timeout)
        implements CaptureAction {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Override
    public String name() {
        return "flight_recorder";
    }

    @Override
    public String fileName() {
        return "flight-recorder.jsonl";
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        long window = context.settings().flightRecorder().toNanos();
        if (window == 0) {
            throw new SkippedException("the flight recorder is off (capture.flightRecorder: 0s)");
        }
        try (SequenceWriter w = JSON.writer().withRootValueSeparator("\n").writeValues(out.toFile())) {
            for (Event e : recorder.between(context.triggerNs() - window, context.triggerNs())) {
                w.write(RecordedEvent.of(e, clock));
            }
        }
        return 0;
    }
}
