package dev.aod.agent.bench;

import dev.aod.agent.capture.FlightRecorder;
import dev.aod.agent.detect.Anomaly;
import dev.aod.agent.detect.AnomalySink;
import dev.aod.agent.detect.Detector;
import dev.aod.agent.detect.Detectors;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.detect.MountKey;
import dev.aod.agent.detect.MountLookup;
import dev.aod.agent.report.AgentMetrics;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.config.ConfigLoader;
import dev.aod.config.InvalidConfigException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the drain thread does with every batch after decoding: flight recorder, metrics, detectors.
 * {@code flagged}: every event at or over its threshold (a 0 ms policy), so every event is counted,
 * windows fill and anomalies repeat; {@code quiet}: events of untracked commands, the common case.
 * Score = events per second on one core. Run with bench/pipeline.sh (add -prof gc for allocation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx128m", "-XX:+UseSerialGC"})
public class PipelineBenchmark {
    static final int BATCH = 1024;

    @Param({"flagged", "quiet"})
    public String load;

    private final EventBatch batch = new EventBatch(BATCH);
    private final FlightRecorder recorder = new FlightRecorder(FlightRecorder.DEFAULT_CAPACITY);
    private final AgentMetrics metrics = new AgentMetrics();
    private List<Detector> detectors;
    private long ts;
    private final AnomalySink sink = new AnomalySink() {
        @Override
        public void fired(Anomaly anomaly) {}

        @Override
        public void repeated(Anomaly.Key key, long count, long lastSeenNs) {
            metrics.anomalyRepeated(key);
        }
    };

    @Setup
    public void setUp() throws InvalidConfigException {
        detectors = Detectors.of(ConfigLoader.parse("""
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                outputDir: /tmp/aod-bench
                anomalies:
                  - {name: latency, type: latency, protocol: smb, mode: trackonly, minCount: 10, window: 10s,
                     track: {SMB2_READ: 0ms, SMB2_WRITE: 0ms, SMB2_CREATE: 0ms, SMB2_CLOSE: 0ms}}
                  - {name: errors, type: error, protocol: smb, minCount: 10, window: 10s}
                """, "bench").config(), MountLookup.NONE, MonotonicClock.SYSTEM);
        MountKey.UNKNOWN.describe();
        boolean flagged = load.equals("flagged");
        for (int i = 0; i < BATCH; i++) {
            batch.add(Event.builder().tsNs(i).latencyNs(1_000_000L + i).command(flagged ? 8 + (i & 1) : 13)
                    .sessionId(0x1234).requestId(i).tgid(100).pid(100).comm("fio").build());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void detect(Blackhole bh) {
        recorder.record(batch);
        metrics.onEvents(batch);
        for (Detector d : detectors) {
            d.process(batch, sink);
        }
        bh.consume(ts++);
    }
}
