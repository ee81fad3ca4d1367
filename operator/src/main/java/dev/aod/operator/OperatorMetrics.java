package dev.aod.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The operator's own meters, beside JOSDK's reconciliation meters in the same registry. */
public final class OperatorMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger leader = new AtomicInteger();

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("aod_operator_leader", leader, AtomicInteger::get)
                .description("1 while this replica holds the leader lease (or leader election is off)")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void configWritten(String operation) {
        Counter.builder("aod_operator_node_config_writes").tag("operation", operation)
                .description("Node ConfigMaps created, updated and deleted").register(registry).increment();
    }

    public void eventDeleted(String reason) {
        Counter.builder("aod_operator_anomaly_events_deleted").tag("reason", reason)
                .description("AnomalyEvents removed by retention, by age or count").register(registry).increment();
    }

    void leading(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    boolean isLeading() {
        return leader.get() == 1;
    }
}
