package dev.aod.agent.source;

import dev.aod.config.AgentConfig;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Events handed in by a test or benchmark instead of the kernel; every probe reports attached. */
public final class SyntheticEventSource implements EventSource {
    private final ArrayDeque<Event> pending = new ArrayDeque<>();
    private final List<ProbeStatus> probes =
            List.of(ProbeStatus.attached(BpfEventSource.SMB_WIRE, "synthetic", "events supplied by the caller"));

    public synchronized void offer(Collection<Event> events) {
        pending.addAll(events);
    }

    public synchronized boolean isDrained() {
        return pending.isEmpty();
    }

    @Override
    public List<ProbeStatus> start(AgentConfig config) {
        return probes;
    }

    @Override
    public synchronized int poll(EventBatch batch) {
        int n = 0;
        while (!pending.isEmpty() && !batch.isFull()) {
            batch.add(pending.poll());
            n++;
        }
        return n;
    }

    @Override
    public List<ProbeStatus> refresh() {
        return probes;
    }

    @Override
    public List<ProbeStatus> probes() {
        return probes;
    }

    @Override
    public Map<String, Long> drops() {
        return Map.of();
    }

    @Override
    public void close() {}
}
