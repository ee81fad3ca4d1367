package dev.aod.operator.policy;

import dev.aod.config.AnomalySpec;
import dev.aod.config.RetentionSettings;
import dev.aod.config.UploadTarget;
import java.util.List;
import java.util.Optional;

/**
 * One AnomalyPolicy in the agent's terms: its detectors (named {@code <policy>.<detector>-<protocol>}),
 * and the node-level settings it asks for; or, when it is not valid, why, with field paths.
 */
public record Translation(
        String policy,
        List<AnomalySpec> anomalies,
        Optional<UploadTarget> upload,
        Optional<RetentionSettings> retention,
        List<String> errors) {

    public Translation {
        anomalies = List.copyOf(anomalies);
        errors = List.copyOf(errors);
    }

    static Translation rejected(String policy, List<String> errors) {
        return new Translation(policy, List.of(), Optional.empty(), Optional.empty(), errors);
    }

    public boolean accepted() {
        return errors.isEmpty();
    }

    public List<String> detectorNames() {
        return anomalies.stream().map(AnomalySpec::name).toList();
    }
}
