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
import java.util.function.BiConsumer;

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
    private volatile BiConsumer<String, Long> durationListener = (name, ms) -> {};

    /** Told each action's name and duration in milliseconds (for metrics). */
    public void onActionDone(BiConsumer<String, Long> listener) {
        durationListener = listener;
    }

    public List<ActionResult> run(List<CaptureAction> actions, CaptureContext context) throws InterruptedException {
        List<Future<ActionResult>> futures = new ArrayList<>();
        long started = System.nanoTime();
        for (CaptureAction action : actions) {
            futures.add(pool.submit(() -> runOne(action, context)));
        }
        List<ActionResult> results = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            CaptureAction action = actions.get(i);
            long remainingNs = started + action.timeout().toNanos() + GRACE_NS - System.nanoTime();
            ActionResult result;
            try {
                result = futures.get(i).get(Math.max(0, remainingNs), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                futures.get(i).cancel(true);
                result = new ActionResult(action.name(), action.fileName(), null, ActionResult.Status.TIMED_OUT,
                        null, sizeOf(context.staging().resolve(action.fileName())), millisSince(started),
                        "did not finish within " + action.timeout().toMillis() + " ms");
            } catch (ExecutionException e) {
                result = new ActionResult(action.name(), action.fileName(), null, ActionResult.Status.FAILED,
                        null, 0, millisSince(started), String.valueOf(e.getCause()));
            }
            durationListener.accept(result.name(), result.durationMs());
            results.add(result);
        }
        return results;
    }

    private static ActionResult runOne(CaptureAction action, CaptureContext context) throws IOException {
        Path dir = context.staging();
        Path out = dir.resolve(action.fileName());
        Files.createDirectories(out.getParent());
        Path err = out.resolveSibling(out.getFileName() + ".stderr");
        long started = System.nanoTime();
        Integer exitCode = null;
        ActionResult.Status status = ActionResult.Status.OK;
        String error = null;
        try {
            int code = action.capture(context, out, err);
            exitCode = action instanceof CommandAction ? code : null;
            if (code != 0) {
                status = ActionResult.Status.FAILED;
                error = "exited with " + code;
            }
        } catch (CaptureAction.SkippedException e) {
            status = ActionResult.Status.SKIPPED;
            error = e.getMessage();
        } catch (TimeoutException e) {
            status = ActionResult.Status.TIMED_OUT;
            error = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ActionResult.Status.TIMED_OUT;
            error = "interrupted";
        } catch (Exception e) {
            status = ActionResult.Status.FAILED;
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        String stderrFile = null;
        if (Files.exists(err) && Files.size(err) > 0) {
            stderrFile = dir.relativize(err).toString();
        } else {
            Files.deleteIfExists(err);
        }
        String file = action.fileName();
        if (status == ActionResult.Status.SKIPPED && sizeOf(out) == 0) {
            Files.deleteIfExists(out);
            file = null;
        }
        return new ActionResult(action.name(), file, stderrFile, status, exitCode, sizeOf(out),
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
