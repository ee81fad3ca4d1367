package dev.aod.e2e.bench;

import dev.aod.e2e.guest.AgentJar;
import dev.aod.e2e.guest.E2ePaths;
import dev.aod.e2e.guest.GuestImage;
import dev.aod.e2e.guest.GuestVm;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the agent's CPU and memory go on the guest's real SMB and NFS clients: the agent runs with
 * FioBenchmark's realistic policy (or, with -Dflagged=true, every event flagged) and the JVM's native memory tracking; its CPU time per thread is
 * read while idle and under a fio load on each mount, then its resident set by kind
 * (/proc/PID/status), by mapping (/proc/PID/smaps, largest first) and by JVM area (the NMT summary
 * printed at exit). Run with bench/agent-footprint.sh.
 */
public final class AgentFootprint {
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getProperty("seconds", "20"));
        String jvm = System.getProperty("jvm", FioBenchmark.AGENT_JVM);
        boolean flagged = Boolean.getBoolean("flagged");
        try (GuestVm guest = GuestVm.boot(GuestImage.ensureBuilt(), E2ePaths.targetDir().resolve("share-memory"),
                Duration.ofMinutes(5))) {
            AgentJar.install(guest);
            Files.writeString(guest.shareDir().resolve("policy.yaml"), FioBenchmark.config(flagged));
            guest.run("rm -rf /tmp/aod-bench; mkdir -p /tmp/aod-bench; setsid java " + jvm
                    + " -XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics"
                    + " -jar /host/agent/aod-agent.jar run --config /host/policy.yaml >/tmp/aod-bench/agent.log 2>&1"
                    + " </dev/null & echo $! >/tmp/aod-bench/pid", Duration.ofSeconds(30));
            String pid = guest.run("cat /tmp/aod-bench/pid", Duration.ofSeconds(10)).strip();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!guest.run("cat /tmp/aod-bench/agent.log", Duration.ofSeconds(10)).contains("watching;")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the agent did not start");
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
            System.out.println("\nlargest mappings (Rss kB, Anonymous kB, mapping):");
            System.out.println(guest.run("awk '/^[0-9a-f]+-[0-9a-f]+ / {name = NF >= 6 ? $6 : \"[anon]\"} "
                    + "/^Rss:/ {rss[name] += $2} /^Anonymous:/ {anon[name] += $2} "
                    + "END {for (n in rss) printf \"%8d %8d %s\\n\", rss[n], anon[n], n}' /proc/" + pid
                    + "/smaps | sort -rn | head -15", Duration.ofSeconds(30)));
            guest.run("kill -TERM " + pid + "; for i in $(seq 1 300); do kill -0 " + pid
                    + " 2>/dev/null || exit 0; sleep 0.1; done", Duration.ofMinutes(1));
            String log = guest.run("cat /tmp/aod-bench/agent.log", Duration.ofSeconds(10));
            int nmt = log.indexOf("Native Memory Tracking");
            System.out.println(nmt < 0 ? "no NMT summary in the log" : log.substring(nmt));
        }
    }

    /** "tid comm utime+stime" per thread. */
    private static String threadTicks(GuestVm guest, String pid) {
        return guest.run("for t in /proc/" + pid + "/task/*; do echo \"${t##*/} $(tr ' ' '_' <$t/comm) "
                + "$(awk '{print $14 + $15}' $t/stat)\"; done", Duration.ofSeconds(60));
    }

    /** The threads that used CPU between two {@link #threadTicks} readings, most first. */
    private static String delta(String before, String after) {
        java.util.Map<String, Long> start = new java.util.HashMap<>();
        before.lines().map(l -> l.split(" ")).filter(f -> f.length == 3).forEach(f -> start.put(f[0], Long.parseLong(f[2])));
        return after.lines().map(l -> l.split(" ")).filter(f -> f.length == 3)
                .map(f -> new Object[] {f[1], Long.parseLong(f[2]) - start.getOrDefault(f[0], 0L)})
                .filter(x -> (Long) x[1] > 0).sorted((a, b) -> Long.compare((Long) b[1], (Long) a[1]))
                .map(x -> String.format(Locale.ROOT, "%6d %s", (Long) x[1], x[0]))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static String status(GuestVm guest, String pid) {
        return guest.run("grep -E '^(VmHWM|VmRSS|RssAnon|RssFile|RssShmem)' /proc/" + pid + "/status | tr -s ' \\n' ' '",
                Duration.ofSeconds(10)).strip();
    }
}
