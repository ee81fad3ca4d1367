package dev.aod.agent.report;

import dev.aod.agent.detect.Anomaly;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics. Per-event counting uses meters resolved once per (source, kind) and
 * per (source, operation), so the drain path allocates nothing after warm-up.
 */
public final class AgentMetrics {
    private static final String[] SOURCES = {"selftest", "smb-wire", "smb-vfs", "nfs-rpc", "nfs-vfs", "5", "6", "7"};
    private static final String[] KINDS = {"0", "slow", "error", "hung", "session"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter[][] events = new Counter[SOURCES.length][KINDS.length];
    private final long[][] batchCounts = new long[SOURCES.length][KINDS.length];
    private final LatencyHistograms latency = new LatencyHistograms(SOURCES);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> actionTimers = new ConcurrentHashMap<>();
    private final Map<Anomaly.Key, Counter> repeatCounters = new ConcurrentHashMap<>();
    private final Timer anomalyToBundle = Timer.builder("aod_anomaly_to_bundle")
            .description("from an anomaly's detection to its bundle being written")
            .publishPercentiles(0.5, 0.99).register(registry);

    public AgentMetrics() {
        for (int s = 0; s < SOURCES.length; s++) {
            for (int k = 1; k < KINDS.length; k++) {
                events[s][k] = Counter.builder("aod_events").description("probe events received from the kernel")
                        .tag("probe", SOURCES[s]).tag("kind", KINDS[k]).register(registry);
            }
        }
        registry.getPrometheusRegistry().register(latency);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts a batch's events and records their latencies; called by the drain thread only. */
    public void onEvents(EventBatch batch) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            int source = batch.source(i);
            int kind = batch.kind(i);
            if (source >= SOURCES.length || kind <= 0 || kind >= KINDS.length) {
                continue;
            }
            batchCounts[source][kind]++;
            if (kind == EventLayout.KIND_SLOW) {
                latency.record(source, Math.min(batch.command(i), EventLayout.CMD_SLOTS - 1), batch.latencyNs(i));
            }
        }
        for (int s = 0; s < SOURCES.length; s++) {
            for (int k = 1; k < KINDS.length; k++) {
                if (batchCounts[s][k] != 0) {
                    events[s][k].increment(batchCounts[s][k]);
                    batchCounts[s][k] = 0;
                }
            }
        }
    }

    public void anomalyFired(Anomaly a) {
        counter("aod_anomalies", "anomalies detected (first occurrence; repeats counted apart)",
                "anomaly", a.name(), "kind", a.kind().name().toLowerCase()).increment();
    }

    public void anomalyRepeated(Anomaly.Key key) {
        Counter c = repeatCounters.get(key);
        if (c == null) {
            c = counter("aod_anomaly_repeats", "occurrences of an anomaly within its cooldown",
                    "anomaly", key.anomaly(), "kind", key.kind().name().toLowerCase());
            repeatCounters.put(key, c);
        }
        c.increment();
    }

    public void anomalyNotCaptured(String reason) {
        counter("aod_anomalies_not_captured", "anomalies detected but not captured", "reason", reason).increment();
    }

    public void bundle(String result, long bytes) {
        counter("aod_bundles", "bundles made, by result", "result", result).increment();
        if (bytes > 0) {
            counter("aod_bundle_bytes", "bytes of bundles written").increment(bytes);
        }
    }

    public void anomalyToBundle(long nanos) {
        anomalyToBundle.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void action(String name, long millis) {
        actionTimers.computeIfAbsent(name, n -> Timer.builder("aod_action_duration")
                .description("how long each capture action took").tag("action", n).register(registry))
                .record(millis, TimeUnit.MILLISECONDS);
    }

    public void configReload(String result) {
        counter("aod_config_reloads", "configuration changes seen, by result", "result", result).increment();
    }

    public void stageRestart(String stage) {
        counter("aod_stage_restarts", "restarts of a failed agent stage", "stage", stage).increment();
    }

    public void retention(int deleted, int unshippedDeleted) {
        counter("aod_retention_deleted", "bundles deleted by retention").increment(deleted);
        counter("aod_retention_deleted_unshipped", "bundles deleted by retention before they were shipped")
                .increment(unshippedDeleted);
    }

    public <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> value) {
        Gauge.builder(name, obj, value).description(description).register(registry);
    }

    /** Kernel drop counters, read when scraped. */
    public void kernelDrops(Supplier<Map<String, Long>> drops, String probeAndReason) {
        Gauge.builder("aod_kernel_drops", () -> drops.get().getOrDefault(probeAndReason, 0L))
                .description("events the kernel side could not deliver (ring full, in-flight map full)")
                .tag("probe", probeAndReason.substring(0, probeAndReason.indexOf('.')))
                .tag("reason", probeAndReason.substring(probeAndReason.indexOf('.') + 1))
                .register(registry);
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join(",", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
}
