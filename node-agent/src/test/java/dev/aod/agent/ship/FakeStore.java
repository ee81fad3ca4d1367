package dev.aod.agent.ship;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** An in-memory store whose failures a test switches on and off. */
final class FakeStore implements BundleStore {
    final Map<String, StoredBundle> objects = new ConcurrentHashMap<>();
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    final AtomicInteger puts = new AtomicInteger();
    final AtomicInteger probes = new AtomicInteger();
    final List<Long> attemptNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile ShipException.Kind down;
    volatile Predicate<String> failBundle = name -> false;
    /** Stores the bundle, then fails as if the reply was lost. */
    volatile boolean loseNextReply;
    volatile String corruptSha256;
    volatile boolean closed;

    @Override
    public String describe() {
        return "fake store";
    }

    private void check() throws ShipException {
        if (down != null) {
            throw new ShipException(down, describe(), down == ShipException.Kind.UNREACHABLE ? "Connection refused" : "HTTP 403");
        }
    }

    @Override
    public void probe() throws ShipException {
        probes.incrementAndGet();
        check();
    }

    @Override
    public Optional<StoredBundle> find(ObjectName name, LocalBundle bundle) throws ShipException {
        attemptNanos.add(System.nanoTime());
        check();
        StoredBundle s = objects.get(name.bundleKey());
        return s != null && s.sha256().equals(bundle.sha256()) && manifests.containsKey(name.manifestKey())
                ? Optional.of(s) : Optional.empty();
    }

    @Override
    public StoredBundle put(ObjectName name, LocalBundle bundle, Progress progress) throws ShipException {
        check();
        if (failBundle.test(bundle.fileName())) {
            throw new ShipException(ShipException.Kind.FAILED, describe(), "HTTP 500 for " + bundle.fileName());
        }
        puts.incrementAndGet();
        progress.sent(bundle.fileName(), bundle.bytes(), bundle.bytes());
        String sha = corruptSha256 != null ? corruptSha256 : bundle.sha256();
        StoredBundle stored = new StoredBundle("fake://" + name.bundleKey(), bundle.bytes(), sha);
        objects.put(name.bundleKey(), stored);
        manifests.put(name.manifestKey(), bundle.manifest());
        if (loseNextReply) {
            loseNextReply = false;
            throw new ShipException(ShipException.Kind.UNREACHABLE, describe(), "Connection reset");
        }
        return stored;
    }

    @Override
    public void close() {
        closed = true;
    }
}
