#!/usr/bin/env bash
# Time from an anomaly's detection to its bundle being written, on this machine's own kernel: the
# packaged agent is fed synthetic slow SMB writes (--events) that fire one anomaly every 3 s, with
# the AODv2 default actions (dmesg, journalctl, debugdata, stats) plus sysinfo and the flight
# recorder, and the continuous ftrace window on. Prints the agent's aod_anomaly_to_bundle timer.
# Usage: bench/anomaly-to-bundle.sh [anomalies]      (root: ftrace)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
mvn -q -B -pl node-agent -am package -DskipTests -Daod.e2e.skip=true
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/config.yaml" <<YAML
apiVersion: aod.dev/v1alpha1
kind: AgentConfig
outputDir: $work/out
metrics: {port: $port}
anomalies:
  - name: slow-writes
    type: latency
    protocol: smb
    mode: trackonly
    track: {SMB2_WRITE: 100ms}
    minCount: 3
    window: 1s
    cooldown: 0s
    actions: [dmesg, journalctl, debugdata, stats, sysinfo, flight_recorder, ftrace]
YAML
for ((i = 0; i < n; i++)); do
    for j in 0 1 2; do
        printf '{"atMs": %d, "operation": "SMB2_WRITE", "latencyMs": 400, "pid": 77, "comm": "dd"}\n' $((3000 + i * 3000 + j * 10))
    done
done >"$work/events.jsonl"
java -XX:+UseSerialGC -Xms16m -Xmx48m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m \
    -jar node-agent/target/aod-agent.jar run --config "$work/config.yaml" --events "$work/events.jsonl" \
    >"$work/agent.log" 2>&1 &
pid=$!
deadline=$((SECONDS + n * 3 + 60))
until [[ $(grep -c "written for anomaly" "$work/agent.log" || true) -ge $n ]]; do
    ((SECONDS < deadline)) || { echo "only $(grep -c 'written for anomaly' "$work/agent.log") of $n bundles" >&2; tail -20 "$work/agent.log" >&2; exit 1; }
    sleep 1
done
echo "anomaly -> bundle written, $n anomalies, actions: dmesg journalctl debugdata stats sysinfo flight_recorder ftrace"
grep -o "written for anomaly .*" "$work/agent.log" | grep -o "[0-9]* ms" | sort -n | tr '\n' ' '; echo
curl -s "http://127.0.0.1:$port/metrics" | grep "^aod_anomaly_to_bundle"
