#!/usr/bin/env bash
# Java ring-buffer drain and decode rate over a real BPF ring buffer (needs root and BPF).
# Usage: bench/drain-rate.sh [extra JMH options, e.g. -prof gc]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl bpf -am test-compile -DskipTests
mvn -q -B -pl bpf dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "bpf/target/test-classes:bpf/target/classes:$(cat bpf/target/bench.classpath)" \
    org.openjdk.jmh.Main RingBufferDrainBenchmark "$@"
