package dev.aod.agent;

import dev.aod.agent.bundle.Bundler;
import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.LatencyDetector;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.source.EventSource;
import dev.aod.agent.source.ProbeStatus;
import dev.aod.bpf.EventBatch;
import dev.aod.config.AgentConfig;
import dev.aod.config.LatencySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's pipeline: source → detect → capture → bundle. One thread drains and detects;
 * at most {@value #MAX_CONCURRENT_BUNDLES} bundles are made at once on others.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    static final int MAX_CONCURRENT_BUNDLES = 4;
    private static final int QUEUED_BUNDLES = 16;
    private static final long IDLE_POLL_MS = 100;
    private static final long REFRESH_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long SHUTDOWN_WAIT_S = 60;

    private final AgentConfig config;
    private final EventSource source;
    private final Bundler bundler;
    private final List<LatencyDetector> detectors = new ArrayList<>();
    private final ThreadPoolExecutor bundling;
    private final Thread drainThread;
    private final List<Consumer<Path>> bundleListeners = new ArrayList<>();
    private final AtomicLong anomaliesSkipped = new AtomicLong();
    private volatile boolean running;

    public Agent(AgentConfig config, EventSource source, Bundler bundler, MonotonicClock clock) {
        this.config = config;
        this.source = source;
        this.bundler = bundler;
        for (LatencySpec a : config.anomalies(LatencySpec.class)) {
            detectors.add(new LatencyDetector(a, clock));
        }
        this.bundling = new ThreadPoolExecutor(MAX_CONCURRENT_BUNDLES, MAX_CONCURRENT_BUNDLES, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_BUNDLES), r -> new Thread(r, "aod-bundle"));
        this.bundling.allowCoreThreadTimeOut(true);
        this.drainThread = new Thread(this::drainLoop, "aod-drain");
    }

    /** Called with each bundle's path once it is complete; for tests and reporting. */
    public void onBundle(Consumer<Path> listener) {
        bundleListeners.add(listener);
    }

    public List<ProbeStatus> start() {
        List<ProbeStatus> probes = source.start(config);
        probes.forEach(p -> log.info("probe {}", p));
        config.anomalies().stream().filter(a -> !(a instanceof LatencySpec)).forEach(a ->
                log.warn("anomaly \"{}\" (type {}) is not watched: this build detects latency anomalies only", a.name(), a.type()));
        running = true;
        drainThread.start();
        return probes;
    }

    private void drainLoop() {
        EventBatch batch = new EventBatch(1024);
        long nextRefresh = System.nanoTime() + REFRESH_NS;
        while (running) {
            batch.clear();
            int n = source.poll(batch);
            if (n > 0) {
                for (LatencyDetector d : detectors) {
                    d.process(batch, this::capture);
                }
            }
            if (System.nanoTime() - nextRefresh > 0) {
                refreshProbes();
                nextRefresh = System.nanoTime() + REFRESH_NS;
            }
            if (n == 0) {
                try {
                    Thread.sleep(IDLE_POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void refreshProbes() {
        List<ProbeStatus> before = source.probes();
        List<ProbeStatus> after = source.refresh();
        if (!after.equals(before)) {
            after.forEach(p -> log.info("probe {}", p));
        }
    }

    private void capture(Anomaly a) {
        log.warn("{} {} anomaly \"{}\": {} slow requests ({}), worst {} ms, trigger {}; capturing a bundle",
                a.protocol(), a.kind(), a.name(), a.observedCount(), a.commandCounts(), a.maxLatency().toMillis(),
                a.trigger());
        try {
            bundling.execute(() -> makeBundle(a));
        } catch (RejectedExecutionException e) {
            anomaliesSkipped.incrementAndGet();
            log.error("anomaly \"{}\" not captured: {} bundles are already being made and {} wait",
                    a.name(), MAX_CONCURRENT_BUNDLES, QUEUED_BUNDLES);
        }
    }

    private void makeBundle(Anomaly a) {
        try {
            Path bundle = bundler.create(a);
            log.info("bundle {} written for anomaly \"{}\"", bundle, a.name());
            bundleListeners.forEach(l -> l.accept(bundle));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("bundle for anomaly \"{}\" interrupted", a.name());
        } catch (Exception e) {
            log.error("bundle for anomaly \"{}\" failed", a.name(), e);
        }
    }

    public long anomaliesSkipped() {
        return anomaliesSkipped.get();
    }

    @Override
    public void close() {
        running = false;
        drainThread.interrupt();
        try {
            drainThread.join(TimeUnit.SECONDS.toMillis(5));
            bundling.shutdown();
            if (!bundling.awaitTermination(SHUTDOWN_WAIT_S, TimeUnit.SECONDS)) {
                log.warn("bundles still being made after {} s; stopping anyway", SHUTDOWN_WAIT_S);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.drops().forEach((k, v) -> {
            if (v > 0) {
                log.warn("kernel events dropped: {} = {}", k, v);
            }
        });
        source.close();
    }
}
