package dev.aod.agent;

import dev.aod.agent.bundle.Bundler;
import dev.aod.agent.bundle.DiskGuard;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.bundle.Retention;
import dev.aod.agent.bundle.ShippingState;
import dev.aod.agent.ship.OutboxStatus;
import dev.aod.agent.capture.ActionCatalog;
import dev.aod.agent.capture.CaptureRunner;
import dev.aod.agent.capture.FlightRecorder;
import dev.aod.agent.capture.FtraceRecorder;
import dev.aod.agent.capture.HostPaths;
import dev.aod.agent.capture.PacketCapture;
import dev.aod.agent.capture.VerboseSwitches;
import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.AnomalySink;
import dev.aod.agent.detect.Detector;
import dev.aod.agent.detect.Detectors;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.detect.MountLookup;
import dev.aod.agent.report.AgentMetrics;
import dev.aod.agent.report.AgentStatus;
import dev.aod.agent.source.EventSource;
import dev.aod.agent.source.ProbeStatus;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.NativeHeap;
import dev.aod.config.AgentConfig;
import dev.aod.config.CaptureSettings;
import dev.aod.config.LoadedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's pipeline: source → detect → capture → bundle, with retention, a flight recorder,
 * the ftrace window and packet capture around it. One thread drains and detects; bundles are made on
 * others, at most {@code capture.maxConcurrentBundles} at a time. Each stage runs under a
 * {@link Supervisor}. A new configuration is applied without restarting the process.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final int QUEUED_BUNDLES = 16;
    private static final long HOUSEKEEPING_S = 5;
    private static final long SHUTDOWN_WAIT_S = 60;
    private static final long DRAIN_STALL_NS = TimeUnit.SECONDS.toNanos(30);
    /** After the disk ran full, capture resumes only with room for two bundles like the largest so far, and at least this. */
    private static final long MIN_FREE_TO_RESUME = 1L << 20;

    private final EventSource source;
    private final HostPaths host;
    private final Supplier<Path> tracefs;
    private final MonotonicClock clock;
    private final Manifest.NodeInfo node;
    private final MountLookup mounts;
    private final AgentMetrics metrics;
    private final FlightRecorder flightRecorder = new FlightRecorder(FlightRecorder.DEFAULT_CAPACITY);
    private final CaptureRunner runner = new CaptureRunner();
    private final Supervisor supervisor;
    private final ThreadPoolExecutor bundling;
    private final List<Consumer<Path>> bundleListeners = new CopyOnWriteArrayList<>();
    private final List<AnomalySink> anomalyListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong anomalies = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong notCaptured = new AtomicLong();
    private final AtomicLong bundles = new AtomicLong();
    private final AtomicLong bundleFailures = new AtomicLong();
    private final Instant startedAt = Instant.now();
    private volatile ShippingState shipping = ShippingState.NOTHING_TO_SHIP;
    private volatile Supplier<OutboxStatus> shippingStatus = () -> null;
    private volatile VerboseSwitches verbose;
    private volatile Setup setup;
    private volatile AgentStatus.ConfigState configState;
    private volatile String pausedReason;
    private volatile String lastBundle;
    private volatile long largestBundleBytes;
    private volatile long lastDrainNs = System.nanoTime();
    private volatile boolean ready;

    /** Everything that follows from one configuration. */
    private record Setup(AgentConfig config, List<Detector> detectors, Bundler bundler, Retention retention,
            DiskGuard disk, FtraceRecorder ftrace, PacketCapture packetCapture) {}

    private Agent(Builder b) {
        this.source = b.source;
        this.host = b.host;
        this.tracefs = b.tracefs;
        this.clock = b.clock;
        this.node = b.node;
        this.mounts = b.mounts;
        this.metrics = b.metrics;
        this.supervisor = new Supervisor(metrics::stageRestart);
        int concurrent = b.loaded.config().capture().maxConcurrentBundles();
        this.bundling = new ThreadPoolExecutor(concurrent, concurrent, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_BUNDLES), r -> new Thread(r, "aod-bundle"));
        this.bundling.allowCoreThreadTimeOut(true);
        this.runner.onActionDone(metrics::action);
        this.configState = configState(b.loaded, 1, List.of());
        this.setup = new Setup(b.loaded.config(), List.of(), null, null, null, null, null);
    }

    public static Builder builder(LoadedConfig config, EventSource source) {
        return new Builder(config, source);
    }

    public static final class Builder {
        private final LoadedConfig loaded;
        private final EventSource source;
        private HostPaths host = HostPaths.REAL;
        private Supplier<Path> tracefs = () -> null;
        private MonotonicClock clock = MonotonicClock.SYSTEM;
        private Manifest.NodeInfo node = new Manifest.NodeInfo("unknown", "unknown", "dev");
        private MountLookup mounts = MountLookup.NONE;
        private AgentMetrics metrics = new AgentMetrics();

        private Builder(LoadedConfig loaded, EventSource source) {
            this.loaded = loaded;
            this.source = source;
        }

        public Builder host(HostPaths v) { host = v; return this; }
        /** Where tracefs is mounted; null (the default) leaves the ftrace window off. */
        public Builder tracefs(Supplier<Path> v) { tracefs = v; return this; }
        public Builder clock(MonotonicClock v) { clock = v; return this; }
        public Builder node(Manifest.NodeInfo v) { node = v; return this; }
        public Builder mounts(MountLookup v) { mounts = v; return this; }
        public Builder metrics(AgentMetrics v) { metrics = v; return this; }

        public Agent build() {
            return new Agent(this);
        }
    }

    /** Called with each bundle's path once it is complete (also those recovered at start). */
    public void onBundle(Consumer<Path> listener) {
        bundleListeners.add(listener);
    }

    /** Told every anomaly and repeat, after the agent has acted on it. */
    public void onAnomaly(AnomalySink listener) {
        anomalyListeners.add(listener);
    }

    /** Lets retention ask whether a bundle still waits to be shipped. */
    public void shippingState(ShippingState state) {
        this.shipping = Objects.requireNonNull(state);
        Setup s = setup;
        if (s.retention() != null) {
            setup = withRetention(s, state);
        }
    }

    /** What {@link #status()} reports about shipping. */
    public void shippingStatus(Supplier<OutboxStatus> status) {
        this.shippingStatus = Objects.requireNonNull(status);
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    /** Prepares the directories, recovers unfinished bundles, starts the probes and every stage. */
    public List<ProbeStatus> start() throws IOException {
        AgentConfig config = setup.config();
        Files.createDirectories(config.bundleDir());
        Files.createDirectories(config.stagingDir());
        verbose = new VerboseSwitches(host, Path.of("/dev/kmsg"), config.outputDir().resolve(".verbose-restore"));
        try {
            verbose.restoreLeftovers();
        } catch (IOException e) {
            log.error("could not switch back verbose kernel logging a previous run left on: {}", e.toString());
        }
        setup = build(config, null);
        for (Path recovered : setup.bundler().recover()) {
            bundleListeners.forEach(l -> l.accept(recovered));
        }
        List<ProbeStatus> probes = startProbes(config);
        probes.forEach(p -> log.info("probe {}", p));
        for (String drop : List.of("ringbuf_full", "inflight_full")) {
            for (ProbeStatus p : probes) {
                metrics.kernelDrops(source::drops, p.probe() + "." + drop);
            }
        }
        metrics.gauge("aod_capture_paused", "1 while capture is paused (disk full)", this, a -> a.pausedReason == null ? 0 : 1);
        supervisor.run("drain", this::drainLoop);
        supervisor.run("retention", this::retentionLoop);
        supervisor.every("housekeeping", java.time.Duration.ofSeconds(HOUSEKEEPING_S), this::housekeeping);
        ready = true;
        return probes;
    }

    private Setup build(AgentConfig config, Setup previous) throws IOException {
        CaptureSettings capture = config.capture();
        FtraceRecorder ftrace = previous != null && previous.ftrace() != null
                && previous.config().capture().ftrace().equals(capture.ftrace()) ? previous.ftrace() : null;
        if (ftrace == null && previous != null && previous.ftrace() != null) {
            previous.ftrace().close();
        }
        if (ftrace == null && capture.ftrace().enabled()) {
            ftrace = startFtrace(capture.ftrace());
        }
        PacketCapture pcap = previous != null && previous.packetCapture() != null
                && previous.config().capture().packetCapture().equals(capture.packetCapture())
                && previous.config().outputDir().equals(config.outputDir()) ? previous.packetCapture() : null;
        if (pcap == null && previous != null && previous.packetCapture() != null) {
            previous.packetCapture().close();
        }
        if (pcap == null && capture.packetCapture().enabled()) {
            pcap = new PacketCapture(config.outputDir().resolve(".pcap"), capture.packetCapture());
            try {
                pcap.start();
            } catch (IOException e) {
                log.error("packet capture could not start (is tcpdump installed?): {}", e.toString());
            }
        }
        FtraceRecorder ftraceRef = ftrace;
        PacketCapture pcapRef = pcap;
        ActionCatalog catalog = new ActionCatalog(capture, host, flightRecorder, clock, () -> ftraceRef, () -> pcapRef,
                verbose);
        Manifest.NodeInfo nodeInfo = config.node().isEmpty() ? node
                : new Manifest.NodeInfo(config.node(), node.kernel(), node.agentVersion());
        Bundler bundler = new Bundler(config.stagingDir(), config.bundleDir(), catalog, runner, capture, flightRecorder,
                nodeInfo, clock);
        Retention retention = new Retention(config.bundleDir(), config.retention(), shipping, Clock.systemUTC());
        DiskGuard disk = new DiskGuard(config.outputDir(), capture.minFreeBytes());
        return new Setup(config, Detectors.of(config, mounts, clock), bundler, retention, disk, ftrace, pcap);
    }

    private FtraceRecorder startFtrace(CaptureSettings.Ftrace settings) {
        Path fs = tracefs.get();
        if (fs == null) {
            log.warn("the ftrace window is off: tracefs is not available");
            return null;
        }
        FtraceRecorder recorder = new FtraceRecorder(fs, settings);
        try {
            recorder.start();
            return recorder;
        } catch (IOException e) {
            log.error("the ftrace window could not start on {}: {}", fs, e.toString());
            recorder.close();
            return null;
        }
    }

    private Setup withRetention(Setup s, ShippingState state) {
        return new Setup(s.config(), s.detectors(), s.bundler(),
                new Retention(s.config().bundleDir(), s.config().retention(), state, Clock.systemUTC()),
                s.disk(), s.ftrace(), s.packetCapture());
    }

    /** Applies a new valid configuration to the running agent. */
    public synchronized void reconfigure(LoadedConfig loaded) throws IOException {
        AgentConfig config = loaded.config();
        Files.createDirectories(config.bundleDir());
        Files.createDirectories(config.stagingDir());
        Setup next = build(config, setup);
        int concurrent = config.capture().maxConcurrentBundles();
        if (concurrent > bundling.getMaximumPoolSize()) {
            bundling.setMaximumPoolSize(concurrent);
            bundling.setCorePoolSize(concurrent);
        } else {
            bundling.setCorePoolSize(concurrent);
            bundling.setMaximumPoolSize(concurrent);
        }
        List<ProbeStatus> probes = startProbes(config);
        setup = next;
        configState = configState(loaded, configState.generation() + 1, List.of());
        log.info("configuration {} applied (generation {})", loaded.source(), configState.generation());
        probes.forEach(p -> log.info("probe {}", p));
    }

    /** Loading probes parses the kernel's BTF in the C heap, which glibc would keep resident afterwards. */
    private List<ProbeStatus> startProbes(AgentConfig config) {
        List<ProbeStatus> probes = source.start(config);
        NativeHeap.trim();
        return probes;
    }

    /** Records that a new configuration was rejected; the running one stays. */
    public void rejected(List<String> errors) {
        AgentStatus.ConfigState c = configState;
        configState = new AgentStatus.ConfigState(c.source(), c.format(), c.generation(), c.appliedAt(), c.notices(),
                List.copyOf(errors));
    }

    private static AgentStatus.ConfigState configState(LoadedConfig loaded, long generation, List<String> rejected) {
        return new AgentStatus.ConfigState(loaded.source(), loaded.format(), generation, Instant.now(), loaded.notices(),
                rejected);
    }

    private void drainLoop() throws InterruptedException {
        EventBatch batch = new EventBatch(1024);
        AnomalySink sink = new Sink();
        while (!Thread.currentThread().isInterrupted()) {
            batch.clear();
            int n = source.poll(batch);
            lastDrainNs = System.nanoTime();
            if (n > 0) {
                events.addAndGet(n);
                flightRecorder.record(batch);
                metrics.onEvents(batch);
                for (Detector d : setup.detectors()) {
                    d.process(batch, sink);
                }
            } else {
                Thread.sleep(setup.config().pollInterval().toMillis());
            }
        }
    }

    private final class Sink implements AnomalySink {
        @Override
        public void fired(Anomaly a) {
            anomalies.incrementAndGet();
            metrics.anomalyFired(a);
            log.warn("{} {} anomaly \"{}\": {}", a.protocol(), a.kind().name().toLowerCase(), a.name(), a.summary());
            capture(a);
            anomalyListeners.forEach(l -> l.fired(a));
        }

        @Override
        public void repeated(Anomaly.Key key, long count, long lastSeenNs) {
            repeats.incrementAndGet();
            metrics.anomalyRepeated(key);
            if (Long.bitCount(count) == 1 || count % 100 == 0) {
                log.info("anomaly \"{}\" on {} ({}) again: {} occurrences, still in its cooldown", key.anomaly(),
                        key.mount().describe(), key.operation(), count);
            }
            for (AnomalySink l : anomalyListeners) {
                l.repeated(key, count, lastSeenNs);
            }
        }
    }

    private void capture(Anomaly a) {
        Setup s = setup;
        if (pausedReason == null && !s.disk().hasRoom()) {
            pause(String.format("only %d MiB free under %s (at least %d MiB needed)", s.disk().usableBytes() >> 20,
                    s.config().outputDir(), s.disk().minFreeBytes() >> 20));
        }
        if (pausedReason != null) {
            notCaptured.incrementAndGet();
            metrics.anomalyNotCaptured("capture_paused");
            log.warn("anomaly \"{}\" not captured: capture is paused ({}); detection goes on", a.name(), pausedReason);
            return;
        }
        try {
            long firedNs = System.nanoTime();
            bundling.execute(() -> makeBundle(a, s, firedNs));
        } catch (RejectedExecutionException e) {
            notCaptured.incrementAndGet();
            metrics.anomalyNotCaptured("busy");
            log.error("anomaly \"{}\" not captured: {} bundles are being made and {} wait", a.name(),
                    bundling.getMaximumPoolSize(), QUEUED_BUNDLES);
        }
    }

    private void makeBundle(Anomaly a, Setup s, long firedNs) {
        try {
            makeBundleOf(a, s, firedNs);
        } finally {
            NativeHeap.trim();
        }
    }

    private void makeBundleOf(Anomaly a, Setup s, long firedNs) {
        try {
            Path bundle = s.bundler().create(a);
            bundles.incrementAndGet();
            lastBundle = bundle.toString();
            long size = Files.size(bundle);
            largestBundleBytes = Math.max(largestBundleBytes, size);
            long tookNs = System.nanoTime() - firedNs;
            metrics.bundle("ok", size);
            metrics.anomalyToBundle(tookNs);
            log.info("bundle {} written for anomaly \"{}\" {} ms after it was detected", bundle, a.name(),
                    tookNs / 1_000_000);
            bundleListeners.forEach(l -> l.accept(bundle));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bundleFailures.incrementAndGet();
            metrics.bundle("interrupted", 0);
            log.warn("bundle for anomaly \"{}\" interrupted by shutdown", a.name());
        } catch (IOException e) {
            bundleFailures.incrementAndGet();
            metrics.bundle("failed", 0);
            if (DiskGuard.isDiskFull(e)) {
                pause("the disk under " + s.config().outputDir() + " is full");
                log.error("bundle for anomaly \"{}\" abandoned: {}", a.name(), e.getMessage());
            } else {
                log.error("bundle for anomaly \"{}\" failed", a.name(), e);
            }
        } catch (RuntimeException e) {
            bundleFailures.incrementAndGet();
            metrics.bundle("failed", 0);
            log.error("bundle for anomaly \"{}\" failed", a.name(), e);
        }
    }

    private synchronized void pause(String reason) {
        if (pausedReason == null) {
            pausedReason = reason;
            log.error("capture paused: {}; anomalies are still detected and counted", reason);
        }
    }

    private void retentionLoop() throws IOException, InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            Thread.sleep(setup.config().retention().interval().toMillis());
            Retention.Sweep sweep = setup.retention().sweep();
            metrics.retention(sweep.expired() + sweep.overSize(), sweep.unshippedDeleted());
        }
    }

    private void housekeeping() throws IOException {
        List<ProbeStatus> before = source.probes();
        List<ProbeStatus> after = source.refresh();
        if (!after.equals(before)) {
            NativeHeap.trim();
            after.forEach(p -> log.info("probe {}", p));
        }
        Setup s = setup;
        if (s.ftrace() != null) {
            s.ftrace().refresh();
        }
        if (s.packetCapture() != null && !s.packetCapture().isRunning()) {
            metrics.stageRestart("packet-capture");
            log.warn("packet capture (tcpdump) stopped; restarting it");
            s.packetCapture().close();
            s.packetCapture().start();
        }
        long free = s.disk().usableBytes();
        long needed = Math.max(s.disk().minFreeBytes(), Math.max(2 * largestBundleBytes, MIN_FREE_TO_RESUME));
        if (pausedReason != null && (free < 0 || free >= needed)) {
            synchronized (this) {
                log.info("capture resumed: {} KiB free again", free >> 10);
                pausedReason = null;
            }
        }
    }

    public boolean healthy() {
        return supervisor.healthy() && (!ready || System.nanoTime() - lastDrainNs < DRAIN_STALL_NS);
    }

    public boolean ready() {
        return ready;
    }

    public AgentStatus status() {
        Setup s = setup;
        return new AgentStatus(s.config().node().isEmpty() ? node.hostname() : s.config().node(), node.agentVersion(),
                startedAt, configState, source.probes(), source.drops(),
                new AgentStatus.CaptureState(pausedReason != null, pausedReason,
                        s.disk() == null ? -1 : s.disk().usableBytes(),
                        s.ftrace() == null ? List.of() : s.ftrace().enabledSystems(),
                        s.packetCapture() != null && s.packetCapture().isRunning(), lastBundle),
                new AgentStatus.Counts(events.get(), anomalies.get(), repeats.get(), notCaptured.get(), bundles.get(),
                        bundleFailures.get()),
                supervisor.restarts(), shippingStatus.get());
    }

    @Override
    public void close() {
        ready = false;
        supervisor.close();
        bundling.shutdown();
        try {
            if (!bundling.awaitTermination(SHUTDOWN_WAIT_S, TimeUnit.SECONDS)) {
                log.warn("bundles still being made after {} s; stopping anyway (they are recovered at the next start)",
                        SHUTDOWN_WAIT_S);
                bundling.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Setup s = setup;
        if (s.ftrace() != null) {
            s.ftrace().close();
        }
        if (s.packetCapture() != null) {
            s.packetCapture().close();
        }
        if (verbose != null) {
            try {
                verbose.switchOff();
            } catch (IOException e) {
                log.error("could not switch verbose kernel logging back off: {}", e.toString());
            }
        }
        source.drops().forEach((k, v) -> {
            if (v > 0) {
                log.warn("kernel events dropped: {} = {}", k, v);
            }
        });
        source.close();
        runner.close();
    }
}
