package dev.aod.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aod.e2e.guest.AgentJar;
import dev.aod.e2e.guest.E2ePaths;
import dev.aod.e2e.guest.GuestImage;
import dev.aod.e2e.guest.GuestVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's cost on the real SMB and NFS clients of the guest: fio on each mount, at a fixed rate
 * and at full speed, each run three ways — no agent, a realistic policy, every event flagged (0 ms
 * thresholds) — in alternating order, several rounds. Prints IOPS ratios, agent CPU seconds per
 * million operations, agent RSS, dropped events and the probes' BPF run time per hit, writes
 * docs/performance-results.md and an SVG chart. Run with bench/guest-fio.sh.
 */
public final class FioBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The systemd unit's JVM options, which the image runs too (AgentImageIT checks that). */
    static final String AGENT_JVM = unitJvmOptions();

    /** For the small reads of agent state in a guest whose two emulated CPUs the agent's start may fill. */
    private static final Duration GUEST_POLL = Duration.ofSeconds(60);
    private static final List<String> MOUNTS = List.of(System.getProperty("mounts", "smb,nfs").split(","));
    private static final List<String> MODES = List.of(System.getProperty("modes", "rate,full").split(","));
    /** The realistic policy records the ftrace window, as the defaults do; -DrealisticFtrace=false shows its cost. */
    private static final boolean REALISTIC_FTRACE = Boolean.parseBoolean(System.getProperty("realisticFtrace", "true"));

    /** Lets the agent's JIT and start-up work finish before measuring. */
    private static final Duration SETTLE = Duration.ofSeconds(Integer.getInteger("settleSeconds", 15));

    enum Setup { NONE, REALISTIC, FLAGGED }

    record Run(String mount, String mode, Setup setup, int round, double iops, long ops, double agentCpuSeconds,
            long agentRssKb, long agentPeakRssKb, long drops, long anomalies, long bundles) {}

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(System.getProperty("rounds", "3"));
        int seconds = Integer.parseInt(System.getProperty("seconds", "20"));
        int rate = Integer.parseInt(System.getProperty("rateIops", "200"));
        Path out = Path.of(System.getProperty("out", E2ePaths.moduleDir().resolve("../docs").toString()))
                .toAbsolutePath().normalize();
        Path share = E2ePaths.targetDir().resolve("share-bench");
        List<Run> runs = new ArrayList<>();
        Map<String, double[]> probeCost;
        try (GuestVm guest = GuestVm.boot(GuestImage.ensureBuilt(), share, Duration.ofMinutes(5))) {
            AgentJar.install(guest);
            Files.writeString(share.resolve("realistic.yaml"), config(false));
            Files.writeString(share.resolve("flagged.yaml"), config(true));
            for (String mount : MOUNTS) {
                for (String mode : MODES) {
                    for (int round = 0; round < rounds; round++) {
                        List<Setup> order = new ArrayList<>(List.of(Setup.values()));
                        java.util.Collections.rotate(order, round);
                        for (Setup setup : order) {
                            Run r = run(guest, mount, mode, setup, round, seconds, rate);
                            System.out.println(r);
                            runs.add(r);
                        }
                    }
                }
            }
            probeCost = probeCost(guest, seconds);
        }
        String report = report(runs, probeCost, rounds, seconds, rate);
        System.out.println(report);
        Files.writeString(out.resolve("performance-results.md"), report);
        Files.writeString(out.resolve("performance-chart.svg"), chart(runs));
    }

    private static Run run(GuestVm guest, String mount, String mode, Setup setup, int round, int seconds, int rate)
            throws Exception {
        String pid = "";
        String logName = String.format(Locale.ROOT, "%s-%s-%s-%d.log", mount, mode, setup.name().toLowerCase(Locale.ROOT), round);
        Path agentLog = guest.shareDir().resolve("logs").resolve(logName);
        if (setup != Setup.NONE) {
            Files.createDirectories(agentLog.getParent());
            String conf = setup == Setup.REALISTIC ? "realistic" : "flagged";
            guest.run("rm -rf /tmp/aod-bench; mkdir -p /tmp/aod-bench; setsid java " + AGENT_JVM
                    + " -jar /host/agent/aod-agent.jar run --config /host/" + conf + ".yaml >/host/logs/" + logName + " 2>&1 "
                    + "</dev/null & echo $! >/tmp/aod-bench/pid", Duration.ofSeconds(30));
            pid = guest.run("cat /tmp/aod-bench/pid", GUEST_POLL).strip();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!Files.readString(agentLog).contains("watching;")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("agent did not start:\n" + Files.readString(agentLog));
                }
                Thread.sleep(500);
            }
            Thread.sleep(SETTLE.toMillis());
        }
        long cpuBefore = setup == Setup.NONE ? 0 : cpuTicks(guest, pid, agentLog);
        String fio = guest.run(String.format(Locale.ROOT, "fio --name=bench --directory=/mnt/%s --rw=randrw --rwmixread=50 "
                + "--bs=4k --size=16m --direct=1 --ioengine=psync --numjobs=1 --time_based --runtime=%d %s "
                + "--output-format=json", mount, seconds, mode.equals("rate") ? "--rate_iops=" + rate : ""),
                Duration.ofSeconds(seconds * 4L + 120));
        JsonNode job = JSON.readTree(fio.substring(fio.indexOf('{'))).get("jobs").get(0);
        double iops = job.get("read").get("iops").asDouble() + job.get("write").get("iops").asDouble();
        long ops = job.get("read").get("total_ios").asLong() + job.get("write").get("total_ios").asLong();
        double cpu = 0;
        long rss = 0;
        long peak = 0;
        long drops = 0;
        long anomalies = 0;
        long bundles = 0;
        if (setup != Setup.NONE) {
            cpu = (cpuTicks(guest, pid, agentLog) - cpuBefore) / 100.0;
            String[] kb = guest.run("awk '/^VmRSS|^VmHWM/ {print $2}' /proc/" + pid + "/status", GUEST_POLL)
                    .strip().split("\\s+");
            peak = Long.parseLong(kb[0]);
            rss = Long.parseLong(kb[1]);
            String status = guest.run("busybox wget -qO- http://127.0.0.1:9464/status", Duration.ofSeconds(20));
            JsonNode st = JSON.readTree(status);
            for (JsonNode d : st.get("drops")) {
                drops += d.asLong();
            }
            anomalies = st.get("counts").get("anomalies").asLong();
            bundles = st.get("counts").get("bundles").asLong();
            guest.run("kill -TERM " + pid + "; for i in $(seq 1 600); do kill -0 " + pid
                    + " 2>/dev/null || exit 0; sleep 0.1; done; kill -KILL " + pid
                    + "; echo 'the agent did not stop within 60 s of SIGTERM' >&2; exit 1", Duration.ofMinutes(2));
        }
        guest.run("rm -f /mnt/" + mount + "/bench.*", Duration.ofMinutes(1));
        return new Run(mount, mode, setup, round, iops, ops, cpu, rss, peak, drops, anomalies, bundles);
    }

    private static String unitJvmOptions() {
        Path unit = E2ePaths.moduleDir().resolve("../packaging/systemd/aod-agent.service");
        try {
            String execStart = Files.readString(unit).replace("\\\n", " ").lines()
                    .filter(l -> l.startsWith("ExecStart=")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(unit + " has no ExecStart="));
            List<String> words = List.of(execStart.split("\\s+"));
            return String.join(" ", words.subList(1, words.indexOf("-jar")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long cpuTicks(GuestVm guest, String pid, Path agentLog) throws IOException {
        var stat = guest.exec("cat /proc/" + pid + "/stat", GUEST_POLL);
        if (stat.exitCode() != 0) {
            throw new IllegalStateException("the agent (pid " + pid + ") is gone; its log " + agentLog + ":\n"
                    + Files.readString(agentLog));
        }
        String[] f = stat.stdout().strip().split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** BPF run time per program hit, measured in a separate flagged run with the kernel's statistics switched on. */
    private static Map<String, double[]> probeCost(GuestVm guest, int seconds) throws Exception {
        guest.run("setsid java " + AGENT_JVM + " -jar /host/agent/aod-agent.jar run --config /host/flagged.yaml "
                + ">/tmp/aod-bench/agent.log 2>&1 </dev/null & echo $! >/tmp/aod-bench/pid", Duration.ofSeconds(30));
        String pid = guest.run("cat /tmp/aod-bench/pid", GUEST_POLL).strip();
        while (!guest.run("cat /tmp/aod-bench/agent.log", GUEST_POLL).contains("watching;")) {
            Thread.sleep(500);
        }
        guest.run("sysctl -qw kernel.bpf_stats_enabled=1", GUEST_POLL);
        try {
            for (String mount : List.of("smb", "nfs")) {
                guest.run(String.format(Locale.ROOT, "fio --name=bench --directory=/mnt/%s --rw=randrw --bs=4k --size=16m "
                        + "--direct=1 --time_based --runtime=%d --output-format=terse >/dev/null; rm -f /mnt/%s/bench.*",
                        mount, seconds, mount), Duration.ofSeconds(seconds * 4L + 120));
            }
            String progs = guest.run("bpftool -j prog show", Duration.ofSeconds(30));
            Map<String, double[]> cost = new LinkedHashMap<>();
            for (JsonNode p : JSON.readTree(progs)) {
                if (p.has("run_cnt") && p.get("run_cnt").asLong() > 0 && p.has("name")) {
                    cost.put(p.get("name").asText(), new double[] {p.get("run_cnt").asLong(),
                            p.get("run_time_ns").asDouble() / p.get("run_cnt").asLong()});
                }
            }
            return cost;
        } finally {
            guest.run("sysctl -qw kernel.bpf_stats_enabled=0; kill -TERM " + pid, GUEST_POLL);
        }
    }

    /**
     * Realistic: AODv2's shipped thresholds scaled ×10 for the emulated guest (TCG makes every request
     * ~10× slower), so a healthy share fires nothing. Flagged: 0 ms, every completion crosses to user
     * space and is counted, with a minCount no window reaches, so the steady state is measured, not
     * bundle-making.
     */
    static String config(boolean flagged) {
        String smb = flagged ? "mode: all, defaultThreshold: 0ms, minCount: 10000"
                : "mode: all, defaultThreshold: 200ms, track: {SMB2_WRITE: 500ms}, minCount: 10";
        String nfs = flagged ? "mode: all, defaultThreshold: 0ms, minCount: 10000"
                : "mode: all, defaultThreshold: 200ms, minCount: 10";
        return """
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                outputDir: /tmp/aod-bench/out
                capture: {ftrace: {enabled: %s}}
                metrics: {address: 127.0.0.1, port: 9464}
                anomalies:
                  - {name: smb-latency, type: latency, protocol: smb, %s, window: 1s}
                  - {name: smb-errors, type: error, protocol: smb, mode: trackonly, codes: [EIO, EACCES, EAGAIN], minCount: 10, window: 1s}
                  - {name: nfs-latency, type: latency, protocol: nfs, %s, window: 1s}
                  - {name: smb-hung, type: hung, protocol: smb, after: 30s}
                  - {name: nfs-hung, type: hung, protocol: nfs, after: 30s}
                """.formatted(!flagged && REALISTIC_FTRACE, smb, nfs);
    }

    private static String report(List<Run> runs, Map<String, double[]> probeCost, int rounds, int seconds, int rate) {
        StringBuilder s = new StringBuilder();
        s.append("# AOD overhead in the guest (generated by bench/guest-fio.sh, ").append(Instant.now()).append(")\n\n");
        s.append(String.format(Locale.ROOT, "fio randrw 4k direct psync, %d s per run, %d rounds, alternating order; "
                + "`rate` = %d IOPS, `full` = unlimited. Guest: qemu %s, Debian 6.1 kernel. Medians over rounds.%n%n",
                seconds, rounds, rate, System.getProperty("accel", "TCG"), rate));
        s.append("| mount | mode | setup | IOPS | IOPS ratio | agent CPU s / M ops | agent RSS MiB (end / peak) | dropped | anomalies / bundles |\n");
        s.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String mount : MOUNTS) {
            for (String mode : MODES) {
                double base = median(runs, mount, mode, Setup.NONE, Run::iops);
                for (Setup setup : Setup.values()) {
                    double iops = median(runs, mount, mode, setup, Run::iops);
                    double cpuPerM = setup == Setup.NONE ? 0 : median(runs, mount, mode, setup,
                            r -> r.agentCpuSeconds() / Math.max(1, r.ops()) * 1e6);
                    List<Run> these = runs.stream().filter(r -> matches(r, mount, mode, setup)).toList();
                    double rss = these.stream().mapToLong(Run::agentRssKb).max().orElse(0) / 1024.0;
                    double peak = these.stream().mapToLong(Run::agentPeakRssKb).max().orElse(0) / 1024.0;
                    long drops = these.stream().mapToLong(Run::drops).sum();
                    long anomalies = these.stream().mapToLong(Run::anomalies).sum();
                    long bundles = these.stream().mapToLong(Run::bundles).sum();
                    s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.3f | %s | %s | %s | %s |%n", mount, mode,
                            setup.name().toLowerCase(Locale.ROOT), iops, iops / base,
                            setup == Setup.NONE ? "–" : String.format(Locale.ROOT, "%.1f", cpuPerM),
                            setup == Setup.NONE ? "–" : String.format(Locale.ROOT, "%.0f / %.0f", rss, peak),
                            setup == Setup.NONE ? "–" : Long.toString(drops),
                            setup == Setup.NONE ? "–" : anomalies + " / " + bundles));
                }
            }
        }
        s.append("\n## BPF run time per hit (kernel.bpf_stats_enabled, flagged policy, both mounts)\n\n");
        s.append("| program | hits | ns per hit |\n|---|---:|---:|\n");
        probeCost.forEach((name, c) -> s.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", name, c[0], c[1])));
        return s.toString();
    }

    private static boolean matches(Run r, String mount, String mode, Setup setup) {
        return r.mount().equals(mount) && r.mode().equals(mode) && r.setup() == setup;
    }

    private static double median(List<Run> runs, String mount, String mode, Setup setup,
            java.util.function.ToDoubleFunction<Run> value) {
        double[] v = runs.stream().filter(r -> matches(r, mount, mode, setup)).mapToDouble(value).sorted().toArray();
        return v.length == 0 ? 0 : v[v.length / 2];
    }

    /**
     * Bars of the IOPS ratio (median; a whisker from the lowest to the highest round's IOPS over the median
     * without the agent) and agent CPU per million operations (labels), per configuration.
     */
    private static String chart(List<Run> runs) {
        int w = 760;
        int h = 300;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", w, h));
        s.append("<text x=\"10\" y=\"16\" font-size=\"13\">IOPS with the agent / without (bars: median, whiskers: rounds), agent CPU s per million ops (labels)</text>\n");
        int x = 40;
        String[] colors = {"#999999", "#2965cc", "#d9822b"};
        for (String mount : MOUNTS) {
            for (String mode : MODES) {
                double base = median(runs, mount, mode, Setup.NONE, Run::iops);
                for (Setup setup : Setup.values()) {
                    double ratio = base == 0 ? 0 : median(runs, mount, mode, setup, Run::iops) / base;
                    double barH = Math.max(0, Math.min(1.3, ratio)) / 1.3 * 200;
                    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"40\" height=\"%.1f\" fill=\"%s\"/>%n",
                            x, 250 - barH, barH, colors[setup.ordinal()]));
                    double[] rounds = runs.stream().filter(r -> matches(r, mount, mode, setup))
                            .mapToDouble(r -> base == 0 ? 0 : Math.min(1.3, r.iops() / base) / 1.3 * 200).sorted().toArray();
                    if (rounds.length > 1) {
                        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\"/>%n",
                                x + 20, 250 - rounds[0], x + 20, 250 - rounds[rounds.length - 1]));
                    }
                    double top = Math.max(barH, rounds.length == 0 ? 0 : rounds[rounds.length - 1]);
                    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%.3f</text>%n",
                            x + 20, 245 - top, ratio));
                    if (setup != Setup.NONE) {
                        double cpu = median(runs, mount, mode, setup, r -> r.agentCpuSeconds() / Math.max(1, r.ops()) * 1e6);
                        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"265\" text-anchor=\"middle\">%.1fs</text>%n", x + 20, cpu));
                    }
                    x += 45;
                }
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"285\" text-anchor=\"middle\">%s %s</text>%n", x - 75, mount, mode));
                x += 25;
            }
        }
        s.append("<text x=\"40\" y=\"298\" fill=\"#999999\">none</text><text x=\"80\" y=\"298\" fill=\"#2965cc\">realistic</text>"
                + "<text x=\"140\" y=\"298\" fill=\"#d9822b\">every event flagged</text>\n</svg>\n");
        return s.toString();
    }

    private FioBenchmark() {}

}
