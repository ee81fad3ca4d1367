package dev.aod.agent.detect;

import dev.aod.config.AgentConfig;
import dev.aod.config.AnomalySpec;
import dev.aod.config.ErrorSpec;
import dev.aod.config.HungSpec;
import dev.aod.config.LatencySpec;
import dev.aod.config.SessionSpec;
import java.util.List;

/** One detector per configured anomaly. */
public final class Detectors {
    private Detectors() {}

    public static List<Detector> of(AgentConfig config, MountLookup mounts, MonotonicClock clock) {
        return config.anomalies().stream().map(a -> of(a, mounts, clock)).toList();
    }

    static Detector of(AnomalySpec spec, MountLookup mounts, MonotonicClock clock) {
        if (spec instanceof LatencySpec l) {
            return new LatencyDetector(l, mounts, clock);
        }
        if (spec instanceof ErrorSpec e) {
            return new ErrorDetector(e, mounts, clock);
        }
        if (spec instanceof HungSpec h) {
            return new HungDetector(h, mounts, clock);
        }
        return new SessionDetector((SessionSpec) spec, mounts, clock);
    }
}
