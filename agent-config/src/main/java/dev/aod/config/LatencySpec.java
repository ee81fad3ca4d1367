package dev.aod.config;

import dev.aod.protocol.Layer;
import dev.aod.protocol.Protocol;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests slower than their operation's threshold: fires when {@code minCount} of them complete
 * within {@code window}, or when a single one takes {@code ceiling} or longer.
 *
 * @param thresholds the watched operations (by the names of {@link dev.aod.protocol.OperationTable}),
 *     each with its threshold; modes (all, trackonly, excludeonly) are already applied
 */
public record LatencySpec(
        String name,
        String policy,
        Protocol protocol,
        Layer layer,
        Map<String, Duration> thresholds,
        int minCount,
        Duration window,
        Duration ceiling,
        Duration cooldown,
        List<MountFilter> mounts,
        List<String> actions) implements AnomalySpec {

    public static final Duration DEFAULT_CEILING = Duration.ofSeconds(1);

    public LatencySpec {
        policy = policy == null ? "" : policy;
        thresholds = Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
        mounts = List.copyOf(mounts);
        actions = List.copyOf(actions);
    }

    @Override
    public String type() {
        return "latency";
    }
}
