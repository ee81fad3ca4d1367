package dev.aod.agent.kube;

import dev.aod.agent.Agent;
import dev.aod.agent.detect.AnomalySink;
import dev.aod.agent.report.AgentStatus;
import dev.aod.agent.ship.OutboxStatus;
import dev.aod.agent.ship.ShipStage;
import dev.aod.agent.ship.Shipment;
import dev.aod.config.LoadedConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** What Kubernetes mode needs of the running agent and its ship stage. */
public interface AgentBinding {

    /** Applies a new valid configuration; throws when it cannot be applied (the running one stays). */
    void apply(LoadedConfig config) throws IOException;

    void rejected(List<String> errors);

    AgentStatus status();

    void onAnomaly(AnomalySink sink);

    void onBundle(Consumer<Path> listener);

    void onShipped(Consumer<Shipment> listener);

    /** True while the bundle waits in the outbox. */
    boolean isPending(Path bundle);

    /** Empty when no upload target is configured. */
    Optional<OutboxStatus> shipping();

    MeterRegistry registry();

    static AgentBinding of(Agent agent, ShipStage ship) {
        return new AgentBinding() {
            @Override
            public void apply(LoadedConfig config) throws IOException {
                try {
                    agent.reconfigure(config);
                } catch (IOException e) {
                    agent.metrics().configReload("failed");
                    throw e;
                }
                ship.reconfigure(config.config());
                agent.metrics().configReload("applied");
            }

            @Override
            public void rejected(List<String> errors) {
                agent.rejected(errors);
                agent.metrics().configReload("rejected");
            }

            @Override
            public AgentStatus status() {
                return agent.status();
            }

            @Override
            public void onAnomaly(AnomalySink sink) {
                agent.onAnomaly(sink);
            }

            @Override
            public void onBundle(Consumer<Path> listener) {
                agent.onBundle(listener);
            }

            @Override
            public void onShipped(Consumer<Shipment> listener) {
                ship.onShipped(listener);
            }

            @Override
            public boolean isPending(Path bundle) {
                return ship.isPending(bundle);
            }

            @Override
            public Optional<OutboxStatus> shipping() {
                return ship.status();
            }

            @Override
            public MeterRegistry registry() {
                return agent.metrics().registry();
            }
        };
    }
}
