package dev.aod.agent.detect;

import java.time.Instant;

/** Receives what detectors find: a new anomaly, or another occurrence of one still in its cooldown. */
public interface AnomalySink {

    void fired(Anomaly anomaly);

    /** The anomaly with this key fired again while quiet: {@code count} occurrences so far, the latest at {@code lastSeen}. */
    void repeated(Anomaly.Key key, long count, Instant lastSeen);
}
