package dev.aod.agent.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs actions side by side, each bounded by its own timeout, so a failing or hanging action
 * never holds up the others or the bundle. A timed-out action's thread is abandoned, not waited for.
 */
public final class CaptureRunner implements AutoCloseable {
    /** Lets an action report its own timeout (a command it killed) before the runner gives up on it. */
    private static final long GRACE_NS = TimeUnit.SECONDS.toNanos(2);

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "aod-capture");
        t.setDaemon(true);
        return t;
    });

    public List<ActionResult> run(List<CaptureAction> actions, Path dir) throws InterruptedException {
        List<Future<ActionResult>> futures = new ArrayList<>();
        long started = System.nanoTime();
        for (CaptureAction action : actions) {
            futures.add(pool.submit(() -> runOne(action, dir)));
        }
        List<ActionResult> results = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            CaptureAction action = actions.get(i);
            long remainingNs = started + action.timeout().toNanos() + GRACE_NS - System.nanoTime();
            try {
                results.add(futures.get(i).get(Math.max(0, remainingNs), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                futures.get(i).cancel(true);
                results.add(new ActionResult(action.name(), action.fileName(), null, ActionResult.Status.TIMED_OUT,
                        null, sizeOf(dir.resolve(action.fileName())), millisSince(started),
                        "did not finish within " + action.timeout().toMillis() + " ms"));
            } catch (ExecutionException e) {
                results.add(new ActionResult(action.name(), action.fileName(), null, ActionResult.Status.FAILED,
                        null, 0, millisSince(started), String.valueOf(e.getCause())));
            }
        }
        return results;
    }

    private static ActionResult runOne(CaptureAction action, Path dir) throws IOException {
        Path out = dir.resolve(action.fileName());
        Files.createDirectories(out.getParent());
        Path err = out.resolveSibling(out.getFileName() + ".stderr");
        long started = System.nanoTime();
        Integer exitCode = null;
        ActionResult.Status status = ActionResult.Status.OK;
        String error = null;
        try {
            int code = action.capture(out, err);
            exitCode = action instanceof CommandAction ? code : null;
            if (code != 0) {
                status = ActionResult.Status.FAILED;
                error = "exited with " + code;
            }
        } catch (TimeoutException e) {
            status = ActionResult.Status.TIMED_OUT;
            error = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ActionResult.Status.TIMED_OUT;
            error = "interrupted";
        } catch (Exception e) {
            status = ActionResult.Status.FAILED;
            error = e.toString();
        }
        String stderrFile = null;
        if (Files.exists(err) && Files.size(err) > 0) {
            stderrFile = dir.relativize(err).toString();
        } else {
            Files.deleteIfExists(err);
        }
        return new ActionResult(action.name(), action.fileName(), stderrFile, status, exitCode, sizeOf(out),
                millisSince(started), error);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long millisSince(long startNs) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
