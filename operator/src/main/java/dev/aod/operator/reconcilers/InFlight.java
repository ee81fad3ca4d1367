package dev.aod.operator.reconcilers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reconciliations in progress, for a graceful stop: once stopping, none starts, and the stop waits
 * for the running ones before JOSDK tears the informers down. A reconciliation still running
 * while the caches empty would take the empty caches for the cluster's state and delete configs.
 */
public final class InFlight {
    private final Object lock = new Object();
    private int running;
    private boolean stopping;

    /** Marks a reconciliation as running; false when stopping, and then it must do nothing. */
    boolean enter() {
        synchronized (lock) {
            if (stopping) {
                return false;
            }
            running++;
            return true;
        }
    }

    void exit() {
        synchronized (lock) {
            running--;
            lock.notifyAll();
        }
    }

    boolean stopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    /** Lets no new reconciliation start and waits for the running ones; false on timeout. */
    public boolean stopAndDrain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            stopping = true;
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }
}
