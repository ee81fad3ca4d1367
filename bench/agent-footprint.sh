#!/usr/bin/env bash
# Where the agent's CPU (per thread, idle and under fio) and memory (by kind, mapping and JVM area) go
# on the guest's real SMB and NFS clients, with a realistic policy.
# Usage: bench/agent-footprint.sh [-Dseconds=20] [-Dflagged=true] [-Djvm="-XX:+UseSerialGC -Xmx48m ..."]   (root; ~3 min under TCG)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prereqs test
mvn -q -B install -DskipTests -Daod.e2e.skip=true
mvn -q -B -pl e2e test-compile exec:java -Dexec.mainClass=dev.aod.e2e.bench.AgentFootprint \
    -Dexec.classpathScope=test -Daod.e2e.basedir="$PWD/e2e" "$@"
