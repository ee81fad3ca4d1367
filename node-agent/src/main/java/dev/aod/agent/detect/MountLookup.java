package dev.aod.agent.detect;

import dev.aod.bpf.EventBatch;

/**
 * Tells which mount an event concerns. Called for events that already count toward an anomaly, so
 * it may consult a cache; it must return the same instance for the same mount.
 */
@FunctionalInterface
public interface MountLookup {
    MountLookup NONE = (batch, i) -> MountKey.UNKNOWN;

    MountKey of(EventBatch batch, int i);
}
