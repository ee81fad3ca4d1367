package dev.aod.agent.ship;

import dev.aod.agent.bundle.ShippingState;
import dev.aod.config.AgentConfig;
import dev.aod.config.UploadTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships bundles to one store and never forgets one: a bundle handed over with {@link #submit} is
 * journaled on disk at once and stays pending, across restarts, until the store has confirmed its
 * size and checksum. One worker thread ships the bundles oldest first; after a failure it waits
 * ({@link RetryPolicy}) before the next attempt and moves the failed bundle to the back of the queue.
 * A store that cannot be reached is a status, never an exception from here.
 */
public final class Outbox implements ShippingState, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final long PROGRESS_LOG_BYTES = 16L << 20;

    private final BundleStore store;
    private final String prefix;
    private final String node;
    private final Path bundleDir;
    private final OutboxJournal journal;
    private final RetryPolicy retry;
    private final Progress progressListener;
    private final Clock clock;
    private final Duration closeGrace;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final List<Consumer<Shipment>> shippedListeners = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Entry> pending = new LinkedHashMap<>();
    private final Set<String> pendingNames = ConcurrentHashMap.newKeySet();
    private final Map<String, Shipment> shipped = new ConcurrentHashMap<>();
    private int consecutiveFailures;
    private long nextAttemptNanos = System.nanoTime();
    private Instant nextAttemptAt;
    private String lastError = "";
    private Instant lastErrorAt;
    private Instant lastShippedAt;
    private boolean closing;

    private final AtomicLong shippedCount = new AtomicLong();
    private final AtomicLong bytesShipped = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Thread worker;

    private static final class Entry {
        final Path bundle;
        final Instant submittedAt;
        int attempts;

        Entry(Path bundle, Instant submittedAt) {
            this.bundle = bundle;
            this.submittedAt = submittedAt;
        }
    }

    /** The outbox for {@code config.upload()}, which must be present, with default settings. */
    public static Outbox open(AgentConfig config) throws IOException {
        return builder(config).start();
    }

    public static Builder builder(AgentConfig config) {
        UploadTarget target = config.upload().orElseThrow(() -> new IllegalArgumentException("no upload target configured"));
        return new Builder(BundleStores.open(target), target.prefix(), stateDir(config))
                .node(config.node())
                .bundleDir(config.bundleDir());
    }

    /** For tests and tools: ships to {@code store}, keeping the journal in {@code stateDir}. */
    public static Builder builder(BundleStore store, String prefix, Path stateDir) {
        return new Builder(store, prefix, stateDir);
    }

    /** Where the journal lives: {@code <outputDir>/.outbox}. */
    public static Path stateDir(AgentConfig config) {
        return config.outputDir().resolve(".outbox");
    }

    public static final class Builder {
        private final BundleStore store;
        private final String prefix;
        private final Path stateDir;
        private String node = "";
        private Path bundleDir;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Progress progress = Progress.NONE;
        private Clock clock = Clock.systemUTC();
        private Duration closeGrace = Duration.ofSeconds(10);

        private Builder(BundleStore store, String prefix, Path stateDir) {
            this.store = store;
            this.prefix = prefix;
            this.stateDir = stateDir;
        }

        /** The node's name in object names; empty means the host name. */
        public Builder node(String v) { node = v; return this; }
        /** Bundles found here at start that are neither pending nor shipped are submitted; null skips the scan. */
        public Builder bundleDir(Path v) { bundleDir = v; return this; }
        public Builder retry(RetryPolicy v) { retry = v; return this; }
        /** Also told the progress of every upload (the outbox logs it anyway for large bundles). */
        public Builder progress(Progress v) { progress = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        /** How long {@link #close()} lets an upload in flight finish before interrupting it. */
        public Builder closeGrace(Duration v) { closeGrace = v; return this; }

        /** Loads the journal and starts the worker; fails only when the journal cannot be used. */
        public Outbox start() throws IOException {
            return new Outbox(this);
        }
    }

    private Outbox(Builder b) throws IOException {
        this.store = b.store;
        this.prefix = b.prefix;
        this.node = b.node.isEmpty() ? hostName() : b.node;
        this.bundleDir = b.bundleDir;
        this.retry = b.retry;
        this.progressListener = b.progress;
        this.clock = b.clock;
        this.closeGrace = b.closeGrace;
        try {
            this.journal = new OutboxJournal(b.stateDir);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            journal.close();
            store.close();
            throw e;
        }
        this.worker = new Thread(this::work, "aod-ship");
        worker.setDaemon(true);
        worker.start();
    }

    private void recover() throws IOException {
        shipped.putAll(journal.shipped());
        for (OutboxJournal.Pending p : journal.pending()) {
            String name = p.bundle().getFileName().toString();
            if (shipped.containsKey(name)) {
                journal.dropPending(name);
            } else {
                enqueue(new Entry(p.bundle(), p.submittedAt()));
            }
        }
        for (String name : List.copyOf(shipped.keySet())) {
            if (!Files.exists(shipped.get(name).bundle())) {
                shipped.remove(name);
                journal.forgetShipped(name);
            }
        }
        int found = 0;
        if (bundleDir != null && Files.isDirectory(bundleDir)) {
            List<Path> unknown;
            try (Stream<Path> files = Files.list(bundleDir)) {
                unknown = files.filter(f -> isBundle(f) && !pendingNames.contains(key(f)) && !shipped.containsKey(key(f)))
                        .sorted(Comparator.comparing(Outbox::modified)).toList();
            }
            for (Path f : unknown) {
                Entry e = new Entry(f.toAbsolutePath(), modified(f));
                journal.addPending(new OutboxJournal.Pending(e.bundle, e.submittedAt));
                enqueue(e);
                found++;
            }
        }
        if (!pending.isEmpty()) {
            log.info("outbox: {} bundle(s) waiting to be shipped to {}{}", pending.size(), store.describe(),
                    found == 0 ? "" : " (" + found + " found in " + bundleDir + " without a journal entry)");
        }
    }

    private static boolean isBundle(Path f) {
        String name = f.getFileName().toString();
        return name.endsWith(LocalBundle.SUFFIX) && !name.startsWith(".") && Files.isRegularFile(f);
    }

    private static Instant modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static String key(Path bundle) {
        return bundle.getFileName().toString();
    }

    private void enqueue(Entry e) {
        pending.put(key(e.bundle), e);
        pendingNames.add(key(e.bundle));
    }

    /**
     * Hands a finished bundle over; returns once it is journaled. Never throws: if the journal cannot
     * be written (e.g. a full disk), the bundle still ships in this run, and a restart finds it again
     * in the bundle directory.
     */
    public void submit(Path bundle) {
        Path path = bundle.toAbsolutePath();
        String name = key(path);
        Entry e = new Entry(path, clock.instant());
        lock.lock();
        try {
            if (pending.containsKey(name) || shipped.containsKey(name)) {
                return;
            }
            // Journaled before the shipping thread can see it: otherwise it could ship the bundle and drop
            // its pending entry before that entry is written, which would then outlive the shipment.
            try {
                journal.addPending(new OutboxJournal.Pending(path, e.submittedAt));
            } catch (IOException ex) {
                log.error("outbox: cannot journal {} ({}); it is shipped in this run but a restart before then relies "
                        + "on finding it in the bundle directory", name, ex.toString());
            }
            enqueue(e);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True from {@link #submit} until the store has confirmed the bundle; retention keeps such bundles. */
    @Override
    public boolean isPending(Path bundle) {
        return pendingNames.contains(key(bundle));
    }

    public boolean isShipped(Path bundle) {
        return shipped.containsKey(key(bundle));
    }

    public Optional<Shipment> shipment(Path bundle) {
        return Optional.ofNullable(shipped.get(key(bundle)));
    }

    /** Called on the outbox's thread after each confirmed bundle. */
    public void onShipped(Consumer<Shipment> listener) {
        shippedListeners.add(listener);
    }

    public String target() {
        return store.describe();
    }

    public long shippedCount() {
        return shippedCount.get();
    }

    public long bytesShipped() {
        return bytesShipped.get();
    }

    /** Shipping attempts that failed (checks of an idle store are not counted). */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Bundles that disappeared from the disk before they could be shipped. */
    public long lostCount() {
        return lost.get();
    }

    public int pendingCount() {
        return pendingNames.size();
    }

    public OutboxStatus status() {
        lock.lock();
        try {
            Instant oldest = pending.values().stream().map(e -> e.submittedAt).min(Comparator.naturalOrder()).orElse(null);
            return new OutboxStatus(store.describe(), lastError.isEmpty(), lastError, lastErrorAt, pending.size(), oldest,
                    consecutiveFailures > 0 ? nextAttemptAt : null, shippedCount.get(), bytesShipped.get(), failedAttempts.get(),
                    lost.get(), lastShippedAt);
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        check();
        while (true) {
            Entry next = null;
            lock.lock();
            try {
                while (!closing) {
                    long wait = nextAttemptNanos - System.nanoTime();
                    if (wait > 0) {
                        changed.awaitNanos(wait);
                    } else if (!pending.isEmpty()) {
                        next = pending.values().iterator().next();
                        break;
                    } else if (!lastError.isEmpty()) {
                        break;
                    } else {
                        changed.await();
                    }
                }
                if (closing) {
                    return;
                }
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
                continue;
            } finally {
                lock.unlock();
            }
            if (next == null) {
                check();
            } else {
                ship(next);
            }
        }
    }

    /** Checks the store while nothing is waiting, so that status tells the truth before the first bundle. */
    private void check() {
        try {
            store.probe();
            lock.lock();
            try {
                if (!lastError.isEmpty()) {
                    log.info("outbox: shipping to {} works again", store.describe());
                }
                succeeded();
            } finally {
                lock.unlock();
            }
        } catch (ShipException e) {
            failed(null, e.getMessage());
        } catch (RuntimeException e) {
            failed(null, store.describe() + ": failed: " + Failures.rootMessage(e));
        }
    }

    private void ship(Entry entry) {
        String name = key(entry.bundle);
        LocalBundle local;
        try {
            local = LocalBundle.read(entry.bundle);
        } catch (NoSuchFileException e) {
            forgetLost(entry);
            return;
        } catch (IOException e) {
            failed(entry, new ShipException(ShipException.Kind.BUNDLE_UNREADABLE, store.describe(), name + ": " + e)
                    .getMessage());
            return;
        }
        ObjectName objectName = ObjectName.of(prefix, node, local);
        long started = System.nanoTime();
        try {
            Optional<StoredBundle> existing = store.find(objectName, local);
            if (existing.isPresent()) {
                log.info("outbox: {} is already in {} (an earlier attempt got through); not uploaded again", name,
                        store.describe());
            } else if (local.bytes() >= PROGRESS_LOG_BYTES) {
                log.info("outbox: shipping {} ({}) to {} as {}", name, mib(local.bytes()), store.describe(),
                        objectName.bundleKey());
            }
            StoredBundle stored = existing.isPresent() ? existing.get()
                    : store.put(objectName, local, progress(local.bytes()));
            if (stored.bytes() != local.bytes() || !stored.sha256().equals(local.sha256())) {
                throw new ShipException(ShipException.Kind.INTEGRITY, store.describe(), objectName.bundleKey()
                        + " holds " + stored.bytes() + " bytes with sha256 " + stored.sha256() + ", the bundle has "
                        + local.bytes() + " bytes with sha256 " + local.sha256());
            }
            shipped(entry, local, stored, existing.isPresent() ? 0 : System.nanoTime() - started);
        } catch (ShipException e) {
            failed(entry, e.getMessage());
        } catch (RuntimeException e) {
            failed(entry, store.describe() + ": failed: " + Failures.rootMessage(e));
        }
    }

    private Progress progress(long total) {
        if (total < PROGRESS_LOG_BYTES) {
            return progressListener;
        }
        AtomicLong loggedQuarter = new AtomicLong();
        return (bundle, sent, all) -> {
            long quarter = sent * 4 / all;
            long before = loggedQuarter.get();
            if (quarter > before && quarter < 4 && loggedQuarter.compareAndSet(before, quarter)) {
                log.info("outbox: {}: {} of {} sent", bundle, mib(sent), mib(all));
            }
            progressListener.sent(bundle, sent, all);
        };
    }

    private void shipped(Entry entry, LocalBundle local, StoredBundle stored, long uploadNanos) {
        String name = key(entry.bundle);
        Shipment shipment = new Shipment(entry.bundle, stored.uri(), stored.bytes(), stored.sha256(), clock.instant());
        try {
            journal.markShipped(shipment);
        } catch (IOException e) {
            log.error("outbox: {} is shipped but the journal cannot record it ({}); after a restart the store is asked "
                    + "again and the bundle is not uploaded twice", name, e.toString());
        }
        lock.lock();
        try {
            shipped.put(name, shipment);
            pending.remove(name);
            pendingNames.remove(name);
            shippedCount.incrementAndGet();
            bytesShipped.addAndGet(stored.bytes());
            lastShippedAt = shipment.shippedAt();
            if (!lastError.isEmpty()) {
                log.info("outbox: shipping to {} works again", store.describe());
            }
            succeeded();
        } finally {
            lock.unlock();
        }
        if (uploadNanos > 0) {
            double seconds = uploadNanos / 1e9;
            log.info("outbox: shipped {} ({}, {} attempt(s)) to {} in {} s ({} MiB/s)", name, mib(local.bytes()),
                    entry.attempts + 1, stored.uri(), String.format(Locale.ROOT, "%.2f", seconds),
                    String.format(Locale.ROOT, "%.1f", local.bytes() / 1048576.0 / Math.max(seconds, 1e-9)));
        }
        for (Consumer<Shipment> listener : shippedListeners) {
            try {
                listener.accept(shipment);
            } catch (RuntimeException e) {
                log.warn("outbox: a shipment listener failed on {}", name, e);
            }
        }
    }

    private void succeeded() {
        consecutiveFailures = 0;
        lastError = "";
        nextAttemptNanos = System.nanoTime();
        nextAttemptAt = null;
    }

    private void failed(Entry entry, String message) {
        Duration delay;
        int attempts = 0;
        lock.lock();
        try {
            consecutiveFailures++;
            delay = retry.delayAfter(consecutiveFailures, random);
            nextAttemptNanos = System.nanoTime() + delay.toNanos();
            nextAttemptAt = clock.instant().plus(delay);
            lastError = message;
            lastErrorAt = clock.instant();
            if (entry != null && pending.remove(key(entry.bundle)) != null) {
                attempts = ++entry.attempts;
                pending.put(key(entry.bundle), entry);
                failedAttempts.incrementAndGet();
            }
        } finally {
            lock.unlock();
        }
        if (entry == null) {
            log.warn("outbox: {}; checking again in {}", message, human(delay));
        } else {
            log.warn("outbox: {} not shipped (attempt {}): {}; next attempt in {}", key(entry.bundle), attempts, message,
                    human(delay));
        }
    }

    private void forgetLost(Entry entry) {
        String name = key(entry.bundle);
        lock.lock();
        try {
            pending.remove(name);
            pendingNames.remove(name);
        } finally {
            lock.unlock();
        }
        lost.incrementAndGet();
        log.warn("outbox: {} was deleted before it could be shipped; dropped from the outbox", entry.bundle);
        try {
            journal.dropPending(name);
        } catch (IOException e) {
            log.warn("outbox: cannot drop {} from the journal ({})", name, e.toString());
        }
    }

    /**
     * Stops the worker: an upload in flight gets {@code closeGrace} to finish, then is interrupted.
     * Pending bundles stay in the journal for the next start.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(closeGrace.toMillis());
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        try {
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!pendingNames.isEmpty()) {
            log.info("outbox: stopped with {} bundle(s) still to ship; they ship after the next start", pendingNames.size());
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String human(Duration d) {
        return d.toMillis() < 10_000 ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)
                : d.toSeconds() < 120 ? d.toSeconds() + " s" : d.toMinutes() + " min";
    }

    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // not Linux, or no /proc: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-node";
        }
    }
}
