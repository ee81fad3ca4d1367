package dev.aod.agent.ship;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/** Uploads the chunks of one object side by side, at most {@code parallelism} at a time. */
final class ParallelChunks implements AutoCloseable {

    @FunctionalInterface
    interface Upload<T> {
        T upload(Content.Chunk chunk) throws Exception;
    }

    private final int parallelism;
    private final ExecutorService pool;

    ParallelChunks(String name, int parallelism) {
        this.parallelism = parallelism;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Returns each chunk's result in chunk order. On the first failure the other chunks are cancelled
     * and its exception is thrown as it is.
     */
    <T> List<T> upload(List<Content.Chunk> chunks, LongConsumer sent, Upload<T> upload) throws Exception {
        CompletionService<Map.Entry<Integer, T>> done = new ExecutorCompletionService<>(pool);
        List<Future<Map.Entry<Integer, T>>> running = new ArrayList<>();
        List<T> results = new ArrayList<>(Collections.nCopies(chunks.size(), null));
        int next = 0;
        int finished = 0;
        try {
            while (finished < chunks.size()) {
                while (next < chunks.size() && next - finished < parallelism) {
                    Content.Chunk chunk = chunks.get(next++);
                    running.add(done.submit(() -> Map.entry(chunk.index(), upload.upload(chunk))));
                }
                Map.Entry<Integer, T> result = done.take().get();
                results.set(result.getKey(), result.getValue());
                sent.accept(chunks.get(result.getKey()).length());
                finished++;
            }
            return results;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            running.forEach(f -> f.cancel(true));
        }
    }

    int parallelism() {
        return parallelism;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
