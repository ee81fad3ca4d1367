package dev.aod.config;

import dev.aod.protocol.Protocol;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Requests on the wire that have not completed {@code after} they started; each is reported once.
 *
 * @param operations the operations watched; empty means all
 */
public record HungSpec(
        String name,
        String policy,
        Protocol protocol,
        Duration after,
        Set<String> operations,
        Duration cooldown,
        List<MountFilter> mounts,
        List<String> actions) implements AnomalySpec {

    public HungSpec {
        policy = policy == null ? "" : policy;
        operations = Collections.unmodifiableSet(new LinkedHashSet<>(operations));
        mounts = List.copyOf(mounts);
        actions = List.copyOf(actions);
    }

    @Override
    public String type() {
        return "hung";
    }
}
