#!/usr/bin/env bash
# The agent's overhead on the guest's real SMB and NFS clients (fio; no agent / realistic policy /
# every event flagged, alternating). Writes docs/performance-results.md and docs/performance-chart.svg.
# Usage: bench/guest-fio.sh [-Drounds=3] [-Dseconds=20] [-DrateIops=200]   (root; ~30-40 min under TCG)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prereqs test
mvn -q -B install -DskipTests -Daod.e2e.skip=true
mvn -q -B -pl e2e test-compile exec:java -Dexec.mainClass=dev.aod.e2e.bench.FioBenchmark \
    -Dexec.classpathScope=test -Daod.e2e.basedir="$PWD/e2e" "$@"
