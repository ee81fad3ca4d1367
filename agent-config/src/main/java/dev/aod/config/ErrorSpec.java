package dev.aod.config;

import dev.aod.protocol.Layer;
import dev.aod.protocol.Protocol;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Requests that fail: fires when {@code minCount} counted errors occur within {@code window}.
 *
 * @param codes errno names; with {@code excludeCodes} false only these count, with it true every
 *     error but these counts
 * @param operations the operations whose errors count; empty means all
 */
public record ErrorSpec(
        String name,
        String policy,
        Protocol protocol,
        Layer layer,
        Set<String> codes,
        boolean excludeCodes,
        Set<String> operations,
        int minCount,
        Duration window,
        Duration cooldown,
        List<MountFilter> mounts,
        List<String> actions) implements AnomalySpec {

    public ErrorSpec {
        policy = policy == null ? "" : policy;
        codes = Collections.unmodifiableSet(new LinkedHashSet<>(codes));
        operations = Collections.unmodifiableSet(new LinkedHashSet<>(operations));
        mounts = List.copyOf(mounts);
        actions = List.copyOf(actions);
    }

    public boolean counts(String errnoName) {
        return excludeCodes != codes.contains(errnoName);
    }

    @Override
    public String type() {
        return "error";
    }
}
