package dev.aod.agent.kube;

import dev.aod.agent.detect.AnomalySink;
import dev.aod.agent.report.AgentStatus;
import dev.aod.agent.ship.OutboxStatus;
import dev.aod.agent.ship.Shipment;
import dev.aod.agent.source.ProbeStatus;
import dev.aod.config.LoadedConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/** The agent as Kubernetes mode sees it, driven by the test. */
final class FakeAgent implements AgentBinding {
    final List<LoadedConfig> applied = new CopyOnWriteArrayList<>();
    final List<List<String>> rejected = new CopyOnWriteArrayList<>();
    final List<AnomalySink> sinks = new CopyOnWriteArrayList<>();
    final List<Consumer<Path>> bundleListeners = new CopyOnWriteArrayList<>();
    final List<Consumer<Shipment>> shippedListeners = new CopyOnWriteArrayList<>();
    final Set<Path> pending = new CopyOnWriteArraySet<>();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    volatile List<ProbeStatus> probes = List.of(ProbeStatus.attached("smb-wire", "tracepoint", "smb3_cmd_done"),
            ProbeStatus.notApplicable("nfs-rpc", "the nfs module is not loaded"));
    volatile Map<String, Long> drops = Map.of("smb-wire.ringbuf_full", 3L, "smb-wire.inflight_full", 1L);
    volatile OutboxStatus shipping;
    volatile boolean failApply;

    @Override
    public void apply(LoadedConfig config) throws IOException {
        if (failApply) {
            throw new IOException("disk gone");
        }
        applied.add(config);
    }

    @Override
    public void rejected(List<String> errors) {
        rejected.add(errors);
    }

    @Override
    public AgentStatus status() {
        return new AgentStatus("n", "0.1.0-test", Instant.now(), null, probes, drops, null, null, Map.of(), shipping);
    }

    @Override
    public void onAnomaly(AnomalySink sink) {
        sinks.add(sink);
    }

    @Override
    public void onBundle(Consumer<Path> listener) {
        bundleListeners.add(listener);
    }

    @Override
    public void onShipped(Consumer<Shipment> listener) {
        shippedListeners.add(listener);
    }

    @Override
    public boolean isPending(Path bundle) {
        return pending.contains(bundle);
    }

    @Override
    public Optional<OutboxStatus> shipping() {
        return Optional.ofNullable(shipping);
    }

    @Override
    public MeterRegistry registry() {
        return registry;
    }

    static OutboxStatus outbox(boolean healthy, int pendingCount) {
        return new OutboxStatus("directory /upload", healthy, healthy ? "" : "directory /upload: store unreachable",
                null, pendingCount, null, null, 0, 0, 0, 0, null);
    }
}
