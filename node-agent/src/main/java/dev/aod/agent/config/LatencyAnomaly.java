package dev.aod.agent.config;

import dev.aod.agent.protocol.SmbCommand;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * SMB requests slower than their command's threshold: fires when {@code minCount} of them complete
 * within {@code window}, or when any single request takes {@code ceiling} or longer. After firing it
 * stays quiet for {@code cooldown}.
 *
 * @param thresholds the tracked commands, each with its threshold (modes already applied)
 */
public record LatencyAnomaly(
        String name,
        Map<SmbCommand, Duration> thresholds,
        int minCount,
        Duration window,
        Duration ceiling,
        Duration cooldown,
        List<String> actions) {

    public LatencyAnomaly {
        thresholds = Collections.unmodifiableMap(new EnumMap<>(thresholds));
        actions = List.copyOf(actions);
    }
}
