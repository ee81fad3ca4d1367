package dev.aod.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's writes to the API server, one at a time on a thread of its own. A write brings one
 * object (an AnomalyEvent, an AnomalyPolicyNode) to the agent's latest state of it, so a newer
 * write of the same object replaces a queued one: while the API server is unreachable the queue
 * holds one entry per object, up to {@code capacity} objects, and nothing within that bound is
 * lost. A write for a further object is dropped and counted ({@code aod_kube_queue_overflow_total}).
 * Failed writes stay at the head of the queue and are retried with exponential back-off.
 */
public final class ApiQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiQueue.class);

    /** Brings one object to the agent's current state of it; must be idempotent. */
    @FunctionalInterface
    public interface Write {
        void apply(KubernetesClient client);
    }

    private record Entry(String key, String kind, Write write) {}

    private final KubernetesClient client;
    private final int capacity;
    private final Duration retryMin;
    private final Duration retryMax;
    private final MeterRegistry registry;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LinkedHashMap<String, Entry> pending = new LinkedHashMap<>();
    private final Thread worker;
    private volatile boolean reachable = true;
    private volatile boolean closing;
    private boolean busy;
    private long overflowed;

    public ApiQueue(KubernetesClient client, int capacity, Duration retryMin, Duration retryMax, MeterRegistry registry) {
        this.client = client;
        this.capacity = capacity;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
        this.registry = registry;
        Gauge.builder("aod_kube_queue_pending", this, ApiQueue::size)
                .description("objects whose latest state waits to be written to the API server").register(registry);
        Gauge.builder("aod_kube_api_reachable", this, q -> q.reachable ? 1 : 0)
                .description("0 while writes to the API server fail").register(registry);
        this.worker = new Thread(this::work, "aod-kube-writer");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Queues the write of one object, replacing a queued write of the same {@code key}.
     *
     * @return false when the queue was full and the write was dropped (and counted)
     */
    public boolean submit(String key, String kind, Write write) {
        lock.lock();
        try {
            Entry previous = pending.get(key);
            if (previous == null && pending.size() >= capacity) {
                overflowed++;
                Counter.builder("aod_kube_queue_overflow_total")
                        .description("writes dropped because the queue for the API server was full").tag("kind", kind)
                        .register(registry).increment();
                if (Long.bitCount(overflowed) == 1) {
                    log.error("the queue for the API server is full ({} objects): {} {} dropped ({} so far)", capacity,
                            kind, key, overflowed);
                }
                return false;
            }
            pending.put(key, new Entry(key, kind, write));
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    public boolean reachable() {
        return reachable;
    }

    /** Writes dropped since the start because the queue was full. */
    public long overflowed() {
        lock.lock();
        try {
            return overflowed;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every queued write is done; false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!pending.isEmpty() || busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        long backoffNs = 0;
        while (!closing) {
            Entry next;
            lock.lock();
            try {
                while (pending.isEmpty() && !closing) {
                    changed.await();
                }
                if (closing) {
                    return;
                }
                Iterator<Entry> it = pending.values().iterator();
                next = it.next();
                busy = true;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            boolean done = false;
            try {
                next.write().apply(client);
                done = true;
                count(next.kind(), "ok");
                if (!reachable) {
                    reachable = true;
                    log.info("the API server answers again: writing {} queued object(s)", size());
                }
                backoffNs = 0;
            } catch (KubernetesClientException e) {
                if (retryable(e)) {
                    count(next.kind(), "retry");
                    backoffNs = backoffNs == 0 ? retryMin.toNanos() : Math.min(backoffNs * 2, retryMax.toNanos());
                    if (e.getCode() != 409 && reachable) {
                        reachable = false;
                        log.warn("the API server cannot take the write of {} {} ({}): keeping status and events in "
                                + "memory (up to {} objects) and retrying", next.kind(), next.key(), describe(e), capacity);
                    }
                } else {
                    done = true;
                    count(next.kind(), "rejected");
                    log.error("the API server rejected {} {}: {}", next.kind(), next.key(), describe(e));
                }
            } catch (RuntimeException e) {
                done = true;
                count(next.kind(), "failed");
                log.error("writing {} {} failed", next.kind(), next.key(), e);
            }
            lock.lock();
            try {
                busy = false;
                if (pending.get(next.key()) == next) {
                    pending.remove(next.key());
                    if (!done) {
                        pending.put(next.key(), next);
                    }
                }
                changed.signalAll();
                long until = System.nanoTime() + (done ? 0 : backoffNs);
                for (long left = until - System.nanoTime(); left > 0 && !closing; left = until - System.nanoTime()) {
                    changed.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private void count(String kind, String result) {
        Counter.builder("aod_kube_api_writes_total").description("writes to the API server by object kind and result")
                .tag("kind", kind).tag("result", result).register(registry).increment();
    }

    /** No answer (Fabric8 gives code 0 or -1), a conflict, throttling, a server error, or permissions that may yet be granted. */
    static boolean retryable(KubernetesClientException e) {
        int code = e.getCode();
        return code <= 0 || code == 401 || code == 403 || code == 408 || code == 409 || code == 429 || code >= 500;
    }

    private static String describe(KubernetesClientException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getCode() <= 0 ? root.toString() : "HTTP " + e.getCode() + " " + e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
