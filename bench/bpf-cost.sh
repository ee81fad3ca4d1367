#!/usr/bin/env bash
# What AOD's probes cost the kernel: nanoseconds per program run and per request, from the
# kernel's own BPF run-time statistics, measured under a fio read/write load.
#
# Run as root where AOD's probes are attached (`aod-agent run` or `aod-agent trace`), e.g. in the
# e2e guest:   bench/bpf-cost.sh --seconds 20 /mnt/smb /mnt/nfs
#
# kernel.bpf_stats_enabled is switched on only while measuring (it costs every BPF program run a
# little) and restored on exit. Programs are told apart by AOD's names: smb3_cmd_* (smb-wire),
# smbm_ (smb-mid), smbs_ (smb-session), smbv_ (smb-vfs), nfsr_ (nfs-rpc), nfss_ (nfs-session),
# nfsv_ (nfs-vfs). A "request" is what one probe measures once: an SMB2 command (smb3_cmd_enter),
# an NFS RPC task (nfsr_task_begin), a VFS call (its fentry program).
set -euo pipefail

seconds=20
out=
usage() {
  echo "usage: $0 [--seconds N] [--out FILE] DIR..." >&2
  exit 2
}
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage ;;
    --*) usage ;;
    *) break ;;
  esac
done
(($# > 0)) || usage
((EUID == 0)) || { echo "$0: must run as root" >&2; exit 1; }
for tool in bpftool fio sysctl; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 1; }
done

previous=$(sysctl -n kernel.bpf_stats_enabled)
work=$(mktemp -d)
restore() {
  sysctl -q -w kernel.bpf_stats_enabled="$previous" || true
  rm -rf "$work"
}
trap restore EXIT

# "id name run_time_ns run_cnt" of every AOD program; bpftool prints the counters only once non-zero.
snapshot() {
  bpftool prog show | awk '
    /^[0-9]+:/ {
      id = $1; sub(":", "", id); name = ""; ns = 0; cnt = 0
      for (i = 2; i <= NF; i++) {
        if ($i == "name") name = $(i + 1)
        if ($i == "run_time_ns") ns = $(i + 1)
        if ($i == "run_cnt") cnt = $(i + 1)
      }
      if (name ~ /^(smb3_cmd_|smbm_|smbs_|smbv_|nfsr_|nfss_|nfsv_)/) print id, name, ns, cnt
    }'
}

snapshot >"$work/before"
[[ -s "$work/before" ]] || { echo "$0: no AOD program is loaded: start aod-agent first" >&2; exit 1; }
sysctl -q -w kernel.bpf_stats_enabled=1
snapshot >"$work/before"

i=0
for dir in "$@"; do
  i=$((i + 1))
  mkdir -p "$dir/aod-bpf-cost"
  fio --name="aod-cost-$i" --directory="$dir/aod-bpf-cost" --rw=randrw --rwmixread=50 --bs=64k --size=8m \
    --numjobs=2 --ioengine=psync --fsync=4 --time_based --runtime="$seconds" --group_reporting \
    --output="$work/fio-$i.txt" &
done
wait
for dir in "$@"; do
  rm -rf "$dir/aod-bpf-cost"
done

snapshot >"$work/after"
sysctl -q -w kernel.bpf_stats_enabled="$previous"

report() {
  echo "# AOD BPF program cost under fio randrw 64k (psync, fsync every 4 writes, 2 jobs per directory)"
  echo "# on $* for ${seconds} s; kernel $(uname -r); bpf_stats run_time_ns / run_cnt"
  awk '
    function probe(name) {
      if (name ~ /^smb3_cmd_/) return "smb-wire"
      if (name ~ /^smbm_/) return "smb-mid"
      if (name ~ /^smbs_/) return "smb-session"
      if (name ~ /^smbv_/) return "smb-vfs"
      if (name ~ /^nfsr_/) return "nfs-rpc"
      if (name ~ /^nfss_/) return "nfs-session"
      if (name ~ /^nfsv_/) return "nfs-vfs"
      return "other"
    }
    NR == FNR { ns0[$1] = $3; cnt0[$1] = $4; next }
    {
      ns = $3 - ns0[$1]; cnt = $4 - cnt0[$1]
      if (cnt <= 0) next
      p = probe($2)
      rows[++n] = sprintf("  %-30s %-12s %12d %14d %10.0f", $2, p, cnt, ns, ns / cnt)
      pns[p] += ns; pcnt[p] += cnt; pprogs[p]++
      if ($2 ~ /^(smb3_cmd_enter|nfsr_task_begi|smbv_e_|nfsv_e_)/) preq[p] += cnt
    }
    END {
      printf "%-12s %9s %12s %14s %10s %12s %12s\n", "probe", "programs", "runs", "run_time_ns", "ns/run", "requests", "ns/request"
      split("smb-wire smb-mid smb-session smb-vfs nfs-rpc nfs-session nfs-vfs", order, " ")
      for (i = 1; i <= 7; i++) {
        p = order[i]
        if (!(p in pcnt)) { printf "%-12s %9s %12s %14s %10s %12s %12s\n", p, "-", 0, 0, "-", "-", "-"; continue }
        req = (p in preq) ? preq[p] : 0
        printf "%-12s %9d %12d %14d %10.0f %12s %12s\n", p, pprogs[p], pcnt[p], pns[p], pns[p] / pcnt[p],
          req ? req : "-", req ? sprintf("%.0f", pns[p] / req) : "-"
      }
      print ""
      printf "  %-30s %-12s %12s %14s %10s\n", "program", "probe", "runs", "run_time_ns", "ns/run"
      for (i = 1; i <= n; i++) print rows[i]
    }' "$work/before" "$work/after"
  echo
  echo "# fio throughput"
  local i=0 dir
  for dir in "$@"; do
    i=$((i + 1))
    grep -h -E '^ *(read|write):' "$work/fio-$i.txt" | sed "s|^ *|# $dir |"
  done
}

if [[ -n "$out" ]]; then
  report "$@" | tee "$out"
else
  report "$@"
fi
