package dev.aod.agent.kube;

import dev.aod.agent.bundle.BundleReader;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.AnomalySink;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.ship.OutboxStatus;
import dev.aod.agent.ship.Shipment;
import dev.aod.api.v1alpha1.AnomalyEvent;
import dev.aod.api.v1alpha1.AnomalyEventSpec;
import dev.aod.api.v1alpha1.AnomalyEventStatus;
import dev.aod.api.v1alpha1.AnomalyKind;
import dev.aod.api.v1alpha1.BundleRef;
import dev.aod.api.v1alpha1.BundleState;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.api.v1alpha1.ProcessRef;
import dev.aod.api.v1alpha1.Protocol;
import dev.aod.api.v1alpha1.VolumeRef;
import dev.aod.config.Units;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the agent's anomalies into AnomalyEvents: one object per (node, detector, anomaly key,
 * time bucket) with a deterministic name, so a repeat bumps {@code status.count} and
 * {@code lastSeen} of the object it belongs to instead of creating another. The bundle's state
 * follows the capture and the outbox: Pending while captured and waiting, Shipped with the store's
 * URI, Local without an upload target, Failed with why. The agent's threads only record; the API
 * writes go through the {@link ApiQueue}.
 */
public final class EventReporter implements AnomalySink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventReporter.class);
    static final String KIND = "AnomalyEvent";
    private static final Duration CAPTURE_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_RECORDS = 2000;
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$");

    private final KubeSettings settings;
    private final ApiQueue queue;
    private final AgentBinding agent;
    private final Attribution attribution;
    private final Clock clock;
    private final MonotonicClock monotonic;
    private final ExecutorService worker;
    private final Map<String, Record> records = new LinkedHashMap<>();
    private final Map<Anomaly.Key, KeyState> keys = new HashMap<>();
    private final Map<CaptureKey, Record> captures = new HashMap<>();
    private final Map<Path, Record> byBundle = new HashMap<>();

    /** Matches a bundle's manifest to the anomaly it was made for. */
    private record CaptureKey(String anomaly, String server, String share, String operation, Instant lastSeen) {}

    private static final class KeyState {
        Record record;
        long lastCount;
    }

    /** The agent's state of one AnomalyEvent. Guarded by the reporter. */
    static final class Record {
        final String name;
        final AnomalyEventSpec spec;
        final Map<String, String> labels;
        final Instant bucketEnd;
        long count;
        long base;
        boolean synced;
        boolean statusExists;
        Instant firstSeen;
        Instant lastSeen;
        String observed;
        List<ProcessRef> top;
        VolumeRef volume;
        Path bundlePath;
        BundleRef bundle;
        Instant firedAt;
        boolean bundleFinal;

        Record(String name, AnomalyEventSpec spec, Map<String, String> labels, Instant bucketEnd) {
            this.name = name;
            this.spec = spec;
            this.labels = labels;
            this.bucketEnd = bucketEnd;
        }
    }

    public EventReporter(KubeSettings settings, ApiQueue queue, AgentBinding agent, Attribution attribution, Clock clock,
            MonotonicClock monotonic) {
        this.settings = settings;
        this.queue = queue;
        this.agent = agent;
        this.attribution = attribution;
        this.clock = clock;
        this.monotonic = monotonic;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                r -> {
                    Thread t = new Thread(r, "aod-kube-events");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
        this.worker = pool;
    }

    /** Subscribes to the agent's anomalies, bundles and shipments. */
    public void attach() {
        agent.onAnomaly(this);
        agent.onBundle(path -> worker.execute(() -> bundleWritten(path)));
        agent.onShipped(s -> worker.execute(() -> shipped(s)));
    }

    @Override
    public void fired(Anomaly a) {
        Instant now = clock.instant();
        Record r;
        synchronized (this) {
            r = record(a.key(), now, a.policy(), a.protocol().name(), threshold(a));
            KeyState k = keys.computeIfAbsent(a.key(), x -> new KeyState());
            k.record = r;
            k.lastCount = 1;
            r.count++;
            Instant seen = a.lastSeen() == null ? now : a.lastSeen();
            r.firstSeen = r.firstSeen == null || (a.firstSeen() != null && a.firstSeen().isBefore(r.firstSeen))
                    ? (a.firstSeen() == null ? seen : a.firstSeen()) : r.firstSeen;
            r.lastSeen = r.lastSeen == null || seen.isAfter(r.lastSeen) ? seen : r.lastSeen;
            r.observed = worse(a.kind(), r.observed, observed(a));
            r.firedAt = now;
            r.bundlePath = null;
            r.bundleFinal = false;
            r.bundle = new BundleRef(null, null, null, BundleState.PENDING, "capturing");
            captures.put(new CaptureKey(a.name(), a.mount().server(), a.mount().share(), a.operation(), a.lastSeen()), r);
        }
        worker.execute(() -> {
            Attribution.Attributed who = attribution == null ? null
                    : attribution.attribute(a.protocol(), a.mount().server(), a.mount().share(), a.events());
            synchronized (this) {
                if (who != null) {
                    r.top = who.top().isEmpty() ? r.top : who.top();
                    r.volume = who.volume() == null ? r.volume : who.volume();
                }
            }
            submit(r);
        });
    }

    @Override
    public void repeated(Anomaly.Key key, long count, long lastSeenNs) {
        Instant seen = monotonic.toInstant(lastSeenNs);
        synchronized (this) {
            KeyState k = keys.get(key);
            if (k == null || k.record == null) {
                return;
            }
            long delta = Math.max(1, count - k.lastCount);
            k.lastCount = count;
            Record r = k.record;
            if (!seen.isBefore(r.bucketEnd)) {
                Record next = record(key, seen, r.spec.policy(), r.spec.protocol().name(), r.spec.threshold());
                if (next.bundle == null) {
                    next.bundle = new BundleRef(null, null, null, BundleState.SKIPPED,
                            "the detector was cooling down; the bundle is with AnomalyEvent " + r.name);
                    next.bundleFinal = true;
                }
                next.top = r.top;
                next.volume = r.volume;
                k.record = next;
                r = next;
            }
            r.count += delta;
            if (r.firstSeen == null) {
                r.firstSeen = seen;
            }
            r.lastSeen = r.lastSeen == null || seen.isAfter(r.lastSeen) ? seen : r.lastSeen;
            dirty.put(r.name, r);
        }
    }

    private final Map<String, Record> dirty = new LinkedHashMap<>();

    /** Queues the events that changed since the last tick and follows the bundles' shipping. */
    public void tick() {
        List<Record> changed = new ArrayList<>();
        Optional<OutboxStatus> shipping = agent.shipping();
        Instant now = clock.instant();
        synchronized (this) {
            changed.addAll(dirty.values());
            dirty.clear();
            for (Record r : records.values()) {
                if (!r.bundleFinal && updateBundle(r, shipping, now) && !changed.contains(r)) {
                    changed.add(r);
                }
            }
            prune(now);
        }
        changed.forEach(this::submit);
    }

    /** The bundle's state from the outbox; true when it changed. */
    private boolean updateBundle(Record r, Optional<OutboxStatus> shipping, Instant now) {
        BundleRef before = r.bundle;
        if (r.bundlePath == null) {
            if (r.firedAt != null && Duration.between(r.firedAt, now).compareTo(CAPTURE_TIMEOUT) > 0) {
                r.bundle = new BundleRef(null, null, null, BundleState.FAILED,
                        "no bundle was written within " + Units.formatDuration(CAPTURE_TIMEOUT)
                                + " (capture paused, busy or failed: see the agent log)");
                r.bundleFinal = true;
            }
            return !r.bundle.equals(before);
        }
        String uri = r.bundlePath.toUri().toString();
        if (shipping.isEmpty()) {
            r.bundle = new BundleRef(uri, r.bundle.bytes(), null, BundleState.LOCAL, null);
            r.bundleFinal = true;
        } else if (agent.isPending(r.bundlePath)) {
            OutboxStatus s = shipping.get();
            r.bundle = s.healthy()
                    ? new BundleRef(uri, r.bundle.bytes(), null, BundleState.PENDING, "waiting to be shipped to " + s.target())
                    : new BundleRef(uri, r.bundle.bytes(), null, BundleState.FAILED,
                            truncate("not shipped yet, the agent keeps trying: " + s.lastError()));
        } else if (!Files.exists(r.bundlePath)) {
            r.bundle = new BundleRef(uri, r.bundle.bytes(), null, BundleState.FAILED,
                    "the bundle was deleted on the node before it could be shipped");
            r.bundleFinal = true;
        } else if (!shipping.get().healthy()) {
            r.bundle = new BundleRef(uri, r.bundle.bytes(), null, BundleState.FAILED, truncate(shipping.get().lastError()));
        }
        return !r.bundle.equals(before);
    }

    private void bundleWritten(Path path) {
        Manifest m;
        try {
            m = BundleReader.manifest(path);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the manifest of {} to update its AnomalyEvent: {}", path, e.toString());
            return;
        }
        if (m.anomaly() == null) {
            return;
        }
        Record r;
        synchronized (this) {
            Manifest.AnomalyInfo a = m.anomaly();
            r = captures.remove(new CaptureKey(a.name(), a.server(), a.share(), a.operation(), a.lastSeen()));
            if (r == null) {
                CaptureKey similar = captures.keySet().stream()
                        .filter(c -> c.anomaly().equals(a.name()) && java.util.Objects.equals(c.operation(), a.operation()))
                        .max(Comparator.comparing(CaptureKey::lastSeen, Comparator.nullsFirst(Comparator.naturalOrder())))
                        .orElse(null);
                r = similar == null ? null : captures.remove(similar);
            }
            if (r == null) {
                return;
            }
            long bytes;
            try {
                bytes = Files.size(path);
            } catch (IOException e) {
                bytes = 0;
            }
            r.bundlePath = path.toAbsolutePath();
            byBundle.put(r.bundlePath, r);
            r.bundle = new BundleRef(r.bundlePath.toUri().toString(), bytes, null, BundleState.PENDING, "written");
            updateBundle(r, agent.shipping(), clock.instant());
        }
        submit(r);
    }

    private void shipped(Shipment s) {
        Record r;
        synchronized (this) {
            r = byBundle.get(s.bundle().toAbsolutePath());
            if (r == null) {
                return;
            }
            r.bundle = new BundleRef(s.uri(), s.bytes(), s.sha256(), BundleState.SHIPPED, null);
            r.bundleFinal = true;
        }
        submit(r);
    }

    private Record record(Anomaly.Key key, Instant at, String policy, String protocol, String threshold) {
        long bucketSeconds = settings.bucket().toSeconds();
        Instant bucketStart = Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), bucketSeconds) * bucketSeconds);
        AnomalyKind kind = AnomalyKind.valueOf(key.kind().name());
        String identity = key.mount().server() + "\n" + key.mount().share() + "\n" + key.operation();
        String name = AnomalyEvent.nameFor(settings.node(), key.anomaly(), identity, bucketStart, kind);
        Record r = records.get(name);
        if (r == null) {
            AnomalyEventSpec spec = new AnomalyEventSpec(settings.node(), policy == null || policy.isEmpty() ? null : policy,
                    key.anomaly(), kind, Protocol.valueOf(protocol), empty(key.mount().server()),
                    empty(key.mount().share()), empty(key.operation()), threshold, bucketStart.toString());
            Map<String, String> labels = new LinkedHashMap<>();
            label(labels, NodeConfig.NODE_LABEL, settings.node());
            label(labels, NodeConfig.POLICY_LABEL, policy);
            r = new Record(name, spec, labels, bucketStart.plus(settings.bucket()));
            records.put(name, r);
        }
        return r;
    }

    /** Forgets events whose bucket ended a bucket ago and whose bundle is settled; bounds memory. */
    private void prune(Instant now) {
        var it = records.values().iterator();
        while (it.hasNext()) {
            Record r = it.next();
            boolean old = now.isAfter(r.bucketEnd.plus(settings.bucket()));
            if ((old && r.bundleFinal) || records.size() > MAX_RECORDS) {
                it.remove();
                if (r.bundlePath != null) {
                    byBundle.remove(r.bundlePath);
                }
                captures.values().removeIf(x -> x == r);
                keys.values().removeIf(k -> k.record == r);
            }
        }
    }

    private void submit(Record r) {
        queue.submit(KIND + "/" + r.name, KIND, client -> write(client, r));
    }

    private void write(KubernetesClient client, Record r) {
        Resource<AnomalyEvent> resource = client.resources(AnomalyEvent.class).inNamespace(settings.namespace())
                .withName(r.name);
        boolean synced;
        synchronized (this) {
            synced = r.synced;
        }
        if (!synced) {
            sync(resource, r);
        }
        try {
            patchStatus(resource, r);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            sync(resource, r);
            patchStatus(resource, r);
        }
    }

    private void sync(Resource<AnomalyEvent> resource, Record r) {
        AnomalyEvent current = resource.get();
        if (current == null) {
            AnomalyEvent fresh = new AnomalyEvent();
            fresh.getMetadata().setName(r.name);
            fresh.getMetadata().setNamespace(settings.namespace());
            fresh.getMetadata().setLabels(r.labels);
            fresh.setSpec(r.spec);
            resource.create(fresh);
        }
        synchronized (this) {
            r.statusExists = current != null && current.getStatus() != null;
            if (current != null && current.getStatus() != null && current.getStatus().count() != null) {
                r.base = current.getStatus().count();
                Instant first = parse(current.getStatus().firstSeen());
                if (first != null && (r.firstSeen == null || first.isBefore(r.firstSeen))) {
                    r.firstSeen = first;
                }
            }
            r.synced = true;
        }
    }

    private void patchStatus(Resource<AnomalyEvent> resource, Record r) {
        AnomalyEventStatus status;
        synchronized (this) {
            status = new AnomalyEventStatus(Math.max(1, r.base + r.count), str(r.firstSeen), str(r.lastSeen), r.observed,
                    r.top == null || r.top.isEmpty() ? null : r.top, r.volume, r.bundle, null);
        }
        boolean exists;
        synchronized (this) {
            exists = r.statusExists;
        }
        if (exists) {
            StatusPatch.fields(resource, status);
        } else {
            StatusPatch.whole(resource, status);
        }
        synchronized (this) {
            r.statusExists = true;
        }
    }

    private static String threshold(Anomaly a) {
        return switch (a.kind()) {
            case LATENCY, HUNG -> a.threshold() == null || a.threshold().isZero() ? null : Units.formatDuration(a.threshold());
            case ERROR -> dominant(a.breakdown());
            case SESSION -> null;
        };
    }

    private static String observed(Anomaly a) {
        return switch (a.kind()) {
            case LATENCY, HUNG -> a.maxLatency() == null ? null : latency(a.maxLatency());
            case ERROR -> dominant(a.breakdown());
            case SESSION -> a.operation() == null ? dominant(a.breakdown()) : a.operation().toLowerCase(Locale.ROOT);
        };
    }

    private static String worse(Anomaly.Kind kind, String was, String now) {
        if (was == null || now == null || (kind != Anomaly.Kind.LATENCY && kind != Anomaly.Kind.HUNG)) {
            return now == null ? was : now;
        }
        return Units.parseDuration(was).orElse(Duration.ZERO).compareTo(Units.parseDuration(now).orElse(Duration.ZERO)) >= 0
                ? was : now;
    }

    /** 1.84s, 152ms, 850us. */
    static String latency(Duration d) {
        long us = d.toNanos() / 1000;
        if (us >= 1_000_000) {
            return trim(String.format(Locale.ROOT, "%.2f", us / 1e6)) + "s";
        }
        if (us >= 1000) {
            return trim(String.format(Locale.ROOT, "%.1f", us / 1e3)) + "ms";
        }
        return us + "us";
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String dominant(Map<String, Integer> breakdown) {
        return breakdown.entrySet().stream().max(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
                .map(e -> e.getKey().length() > 32 ? e.getKey().substring(0, 32) : e.getKey()).orElse(null);
    }

    private static void label(Map<String, String> labels, String key, String value) {
        if (value != null && !value.isEmpty() && LABEL_VALUE.matcher(value).matches()) {
            labels.put(key, value);
        }
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant parse(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1024 ? s : s.substring(0, 1021) + "...";
    }

    /** Events the reporter still follows, by name: for tests. */
    synchronized List<String> names() {
        return List.copyOf(records.keySet());
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: waits until the reporter's own thread has handled what it was given. */
    void drain() throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        worker.execute(done::countDown);
        done.await(10, TimeUnit.SECONDS);
    }
}
