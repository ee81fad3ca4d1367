#!/usr/bin/env bash
# Upload throughput of a bundle (default 50 MiB, incompressible) to each store on loopback: a
# directory, S3 (S3Proxy in the same JVM) and Azure Blob (Azurite from npm, installed on first use
# into ~/.cache/aod/npm). Measured through the whole outbox: hashing, existence check, upload and
# read-back. Prints MiB/s per store.
# Usage: bench/ship-throughput.sh [MiB] [rounds] [directory|s3|azure ...]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl node-agent -am test-compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "node-agent/target/test-classes:node-agent/target/classes:$(cat node-agent/target/bench.classpath)" \
    dev.aod.agent.ship.ShipBenchmark "$@"
