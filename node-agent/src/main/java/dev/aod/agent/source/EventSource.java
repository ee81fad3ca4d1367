package dev.aod.agent.source;

import dev.aod.config.AgentConfig;
import dev.aod.bpf.EventBatch;
import java.util.List;
import java.util.Map;

/** Where probe events come from: the kernel, or a synthetic feed in tests and benchmarks. */
public interface EventSource extends AutoCloseable {

    /** Loads and attaches what this kernel allows for {@code config}; never throws for a missing module. */
    List<ProbeStatus> start(AgentConfig config);

    /** Appends pending events to {@code batch}; returns how many. */
    int poll(EventBatch batch);

    /** Re-checks the kernel (a module loaded since start) and returns the probes' states. */
    List<ProbeStatus> refresh();

    List<ProbeStatus> probes();

    /** Events the kernel side could not deliver, per probe and reason. */
    Map<String, Long> drops();

    @Override
    void close();
}
