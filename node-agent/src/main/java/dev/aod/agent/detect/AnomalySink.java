package dev.aod.agent.detect;

/** Receives what detectors find: a new anomaly, or another occurrence of one still in its cooldown. */
public interface AnomalySink {

    void fired(Anomaly anomaly);

    /**
     * The anomaly with this key fired again while quiet: {@code count} occurrences so far, the latest
     * at {@code lastSeenNs} on the probes' monotonic clock ({@link MonotonicClock}).
     */
    void repeated(Anomaly.Key key, long count, long lastSeenNs);
}
