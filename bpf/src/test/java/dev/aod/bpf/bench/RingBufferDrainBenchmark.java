package dev.aod.bpf.bench;

import dev.aod.bpf.BpfObject;
import dev.aod.bpf.BpfProgram;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.RingBufferReader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Drain and decode rate of {@link RingBufferReader} over a real BPF ring buffer in the host
 * kernel (needs root). The kernel fills the ring before each invocation; only the drain is timed.
 * Score = events per second on one core. Run with bench/drain-rate.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class RingBufferDrainBenchmark {
    static final int EVENTS_PER_FILL = 40_000;

    private BpfObject selftest;
    private BpfProgram fill;
    private RingBufferReader ring;
    private final EventBatch batch = new EventBatch(1024);

    @Setup(Level.Trial)
    public void load() {
        selftest = BpfObject.openResource(RingBufferDrainBenchmark.class, "/dev/aod/bpf/aod_selftest.bpf.o");
        selftest.load();
        fill = selftest.program("fill");
        ring = RingBufferReader.open(selftest.map("events"));
    }

    @Setup(Level.Invocation)
    public void fillRing() {
        fill.testRun(EVENTS_PER_FILL, 0);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_FILL)
    public void drainAndDecode(Blackhole bh) {
        int n;
        while ((n = ring.drain(batch)) > 0) {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += batch.latencyNs(i) + batch.command(i) + batch.tgid(i);
            }
            bh.consume(sum);
            batch.clear();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        ring.close();
        selftest.close();
    }
}
