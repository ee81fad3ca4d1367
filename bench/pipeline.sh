#!/usr/bin/env bash
# User-space hot path after decoding (flight recorder, metrics, detectors), events/s per core.
# Usage: bench/pipeline.sh [extra JMH options, e.g. -prof gc]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl node-agent -am install -DskipTests -Daod.e2e.skip=true
mvn -q -B -pl node-agent test-compile
mvn -q -B -pl node-agent dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "node-agent/target/test-classes:node-agent/target/classes:$(cat node-agent/target/bench.classpath)" \
    org.openjdk.jmh.Main PipelineBenchmark "$@"
