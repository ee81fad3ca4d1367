package dev.aod.agent.capture;

import dev.aod.agent.detect.Anomaly;
import dev.aod.config.CaptureSettings;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What an action may need to know about the capture it is part of.
 *
 * @param staging the bundle's staging directory: an action may write files besides its output there
 * @param triggerNs when the anomaly fired, on the probes' monotonic clock
 */
public record CaptureContext(Anomaly anomaly, Instant triggeredAt, long triggerNs, Path staging,
        CaptureSettings settings) {}
