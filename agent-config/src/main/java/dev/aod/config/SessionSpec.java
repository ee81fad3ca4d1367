package dev.aod.config;

import dev.aod.protocol.Protocol;
import dev.aod.protocol.SessionEvent;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Trouble with the connection itself: fires when {@code minCount} of the chosen events occur within {@code window}. */
public record SessionSpec(
        String name,
        String policy,
        Protocol protocol,
        Set<SessionEvent> events,
        int minCount,
        Duration window,
        Duration cooldown,
        List<MountFilter> mounts,
        List<String> actions) implements AnomalySpec {

    public SessionSpec {
        policy = policy == null ? "" : policy;
        events = Collections.unmodifiableSet(events.isEmpty() ? EnumSet.noneOf(SessionEvent.class) : EnumSet.copyOf(events));
        mounts = List.copyOf(mounts);
        actions = List.copyOf(actions);
    }

    @Override
    public String type() {
        return "session";
    }
}
