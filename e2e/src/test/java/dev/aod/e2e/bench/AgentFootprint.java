package dev.aod.e2e.bench;

import dev.aod.e2e.guest.AgentJar;
import dev.aod.e2e.guest.E2ePaths;
import dev.aod.e2e.guest.GuestImage;
import dev.aod.e2e.guest.GuestVm;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the agent's CPU and memory go on the guest's real SMB and NFS clients: the agent runs with
 * FioBenchmark's realistic policy (or, with -Dflagged=true, every event flagged) and the JVM's native
 * memory tracking; its CPU time per thread is read while idle and under a fio load on each mount, then
 * its resident set by kind (/proc/PID/status), by mapping (/proc/PID/smaps, largest first) and by JVM
 * area (the NMT summary printed at exit). -Djvm takes several option sets separated by '|' (environment
 * variables first, NAME=value), run one after the other in one guest, and ends with a table of their
 * resident sets. Run with
 * bench/agent-footprint.sh.
 */
public final class AgentFootprint {
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("seconds", "20"));
        List<String> jvms = List.of(System.getProperty("jvm", FioBenchmark.AGENT_JVM).split("\\|"));
        boolean flagged = Boolean.getBoolean("flagged");
        List<String> summary = new ArrayList<>();
        try (GuestVm guest = GuestVm.boot(GuestImage.ensureBuilt(), E2ePaths.targetDir().resolve("share-memory"),
                Duration.ofMinutes(5))) {
            AgentJar.install(guest);
            Files.writeString(guest.shareDir().resolve("policy.yaml"), FioBenchmark.config(flagged));
            for (int i = 0; i < jvms.size(); i++) {
                String jvm = jvms.get(i).strip();
                System.out.println("\n==== " + jvm + " (agent log: " + guest.shareDir().resolve("agent-" + i + ".log") + ")");
                summary.add(String.format(Locale.ROOT, "%-60s %s", measure(guest, jvm, "/host/agent-" + i + ".log", seconds), jvm));
            }
        }
        System.out.println("\nafter the fio runs (kB), per JVM option set:");
        summary.forEach(System.out::println);
    }

    /** Runs the agent with these options through the idle and fio phases; returns its resident set at the end. */
    private static String measure(GuestVm guest, String jvm, String agentLog, int seconds) throws Exception {
        Map<Boolean, String> isEnv = java.util.Arrays.stream(jvm.split("\\s+"))
                .collect(Collectors.partitioningBy(o -> o.matches("[A-Z_]+=\\S*"), Collectors.joining(" ")));
        String env = isEnv.get(true);
        String options = isEnv.get(false);
        guest.run("rm -rf /tmp/aod-bench; mkdir -p /tmp/aod-bench; setsid env " + env + " java " + options
                + " -XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics"
                + " -jar /host/agent/aod-agent.jar run --config /host/policy.yaml >" + agentLog + " 2>&1"
                + " </dev/null & echo $! >/tmp/aod-bench/pid", Duration.ofSeconds(30));
        String pid = guest.run("cat /tmp/aod-bench/pid", Duration.ofSeconds(60)).strip();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!guest.run("cat " + agentLog, Duration.ofSeconds(60)).contains("watching;")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not start:\n" + guest.run("cat " + agentLog,
                        Duration.ofSeconds(60)));
            }
            Thread.sleep(500);
        }
        Thread.sleep(Duration.ofSeconds(15).toMillis());
        System.out.println("after start:   " + status(guest, pid));
        String before = threadTicks(guest, pid);
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        System.out.println("\nCPU ticks (1/100 s) per thread, idle for " + seconds + " s:\n"
                + delta(before, threadTicks(guest, pid)));
        for (String mount : new String[] {"smb", "nfs"}) {
            before = threadTicks(guest, pid);
            guest.run(String.format(Locale.ROOT, "fio --name=bench --directory=/mnt/%s --rw=randrw --bs=4k --size=16m "
                    + "--direct=1 --time_based --runtime=%d --output-format=terse >/dev/null; rm -f /mnt/%s/bench.*",
                    mount, seconds, mount), Duration.ofSeconds(seconds * 4L + 120));
            System.out.println("CPU ticks per thread, fio on " + mount + " for " + seconds + " s:\n"
                    + delta(before, threadTicks(guest, pid)));
            System.out.println("after fio " + mount + ": " + status(guest, pid));
        }
        System.out.println("\nftrace window after the fio runs: its span and its events, most frequent first:");
        String ftrace = guest.run("t=/sys/kernel/tracing/instances/aod; [ -d $t ] || { echo 'no ftrace instance'; exit 0; }; "
                + "grep -h -E '^(entries|overrun)' $t/per_cpu/cpu*/stats | awk '{s[$1] += $2} END {print \"entries\", s[\"entries:\"], "
                + "\"overwritten\", s[\"overrun:\"]}'; grep -v '^#' $t/trace | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^[a-z0-9_]+:$/) "
                + "{n[$i]++; break}; if (match($0, / [0-9]+\\.[0-9]+: /)) {ts = substr($0, RSTART + 1, RLENGTH - 3); "
                + "if (first == \"\") first = ts; last = ts}} END {printf \"span %.2f s\\n\", last - first; "
                + "for (e in n) printf \"%8d %s\\n\", n[e], e}' >/tmp/aod-bench/ftrace-events; "
                + "grep span /tmp/aod-bench/ftrace-events; grep -v span /tmp/aod-bench/ftrace-events | sort -rn | head -25",
                Duration.ofSeconds(120));
        System.out.println(ftrace);
        // a bundle with that window in it: 16 writes at once on an SMB share slowed by 300 ms each way
        guest.run("tc qdisc add dev lo root netem delay 300ms; for i in $(seq 1 16); do dd if=/dev/zero of=/mnt/smb/slow-$i "
                + "bs=4k count=2 oflag=direct status=none & done; wait; tc qdisc del dev lo root; rm -f /mnt/smb/slow-*; "
                + "for i in $(seq 1 240); do ls /tmp/aod-bench/out/bundles/*.tar.zst >/dev/null 2>&1 && break; sleep 0.5; done",
                Duration.ofMinutes(3));
        System.out.println("after a bundle: " + status(guest, pid) + "\n" + guest.run(
                "ls -l /tmp/aod-bench/out/bundles/ 2>&1 | tail -3", Duration.ofSeconds(60)));
        System.out.println("\nlargest mappings (Rss kB, Anonymous kB, mapping):");
        System.out.println(guest.run("awk '/^[0-9a-f]+-[0-9a-f]+ / {name = NF >= 6 ? $6 : \"[anon]\"} "
                + "/^Rss:/ {rss[name] += $2} /^Anonymous:/ {anon[name] += $2} "
                + "END {for (n in rss) printf \"%8d %8d %s\\n\", rss[n], anon[n], n}' /proc/" + pid
                + "/smaps | sort -rn | head -15", Duration.ofSeconds(60)));
        String after = status(guest, pid) + " " + guest.run("ls /tmp/aod-bench/out/bundles/ 2>/dev/null | grep -c tar.zst",
                Duration.ofSeconds(60)).strip() + " bundle(s)";
        guest.run("kill -TERM " + pid + "; for i in $(seq 1 600); do kill -0 " + pid
                + " 2>/dev/null || exit 0; sleep 0.1; done; kill -KILL " + pid, Duration.ofMinutes(2));
        String log = guest.run("cat " + agentLog, Duration.ofSeconds(60));
        int nmt = log.indexOf("Native Memory Tracking");
        System.out.println(nmt < 0 ? "no NMT summary in the log" : log.substring(nmt));
        return after;
    }

    /** "tid comm utime+stime" per thread. */
    private static String threadTicks(GuestVm guest, String pid) {
        return guest.run("for t in /proc/" + pid + "/task/*; do echo \"${t##*/} $(tr ' ' '_' <$t/comm) "
                + "$(awk '{print $14 + $15}' $t/stat)\"; done", Duration.ofSeconds(60));
    }

    /** The threads that used CPU between two {@link #threadTicks} readings, most first. */
    private static String delta(String before, String after) {
        Map<String, Long> start = new HashMap<>();
        before.lines().map(l -> l.split(" ")).filter(f -> f.length == 3).forEach(f -> start.put(f[0], Long.parseLong(f[2])));
        return after.lines().map(l -> l.split(" ")).filter(f -> f.length == 3)
                .map(f -> Map.entry(f[1], Long.parseLong(f[2]) - start.getOrDefault(f[0], 0L)))
                .filter(x -> x.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(x -> String.format(Locale.ROOT, "%6d %s", x.getValue(), x.getKey()))
                .collect(Collectors.joining("\n"));
    }

    /** The pid's resident set by kind, in kB. */
    private static String status(GuestVm guest, String pid) {
        return guest.run("grep -E '^(VmHWM|VmRSS|RssAnon|RssFile|RssShmem)' /proc/" + pid
                + "/status | tr -s ' \\t\\n' ' ' | sed 's/ kB//g'", Duration.ofSeconds(60)).strip();
    }
}
