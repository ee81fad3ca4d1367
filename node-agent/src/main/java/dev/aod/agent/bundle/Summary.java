package dev.aod.agent.bundle;

import dev.aod.agent.capture.ActionResult;
import java.util.Comparator;
import java.util.Locale;

/** summary.txt: the page a support engineer reads before anything else in the bundle. */
final class Summary {
    private static final int SLOWEST = 10;

    private Summary() {}

    static String render(Manifest m) {
        StringBuilder s = new StringBuilder();
        Manifest.AnomalyInfo a = m.anomaly();
        line(s, "AOD bundle %s, made %s", m.bundle(), m.createdAt());
        line(s, "Node %s, kernel %s, agent %s", m.node().hostname(), m.node().kernel(), m.node().agentVersion());
        line(s, "");
        if (a.trigger().equals("CEILING")) {
            line(s, "%s %s anomaly \"%s\": a %s request took %.1f ms (ceiling %.0f ms)", a.protocol(),
                    a.kind().toLowerCase(Locale.ROOT), a.name(), a.command(), a.observed().maxLatencyMs(), a.ceilingMs());
        } else {
            line(s, "%s %s anomaly \"%s\": %d slow requests within %.0f s (fires at %d), mostly %s (threshold %.1f ms)",
                    a.protocol(), a.kind().toLowerCase(Locale.ROOT), a.name(), a.observed().count(), a.windowSec(),
                    a.minCount(), a.command(), a.thresholdMs());
        }
        line(s, "Worst latency %.1f ms; first slow request %s, last %s", a.observed().maxLatencyMs(), a.firstSeen(),
                a.lastSeen());
        line(s, "By command: %s", a.observed().commands());
        line(s, "");
        line(s, "Slowest requests:");
        line(s, "  %-30s %-22s %12s %8s %-16s %s", "time", "command", "latency ms", "pid", "comm", "session/mid");
        m.events().stream()
                .sorted(Comparator.comparingDouble(Manifest.EventInfo::latencyMs).reversed())
                .limit(SLOWEST)
                .forEach(e -> line(s, "  %-30s %-22s %12.1f %8d %-16s %s/%d", e.time(), e.command(), e.latencyMs(),
                        e.pid(), e.comm(), e.sessionId(), e.messageId()));
        line(s, "");
        line(s, "Evidence:");
        for (ActionResult r : m.actions()) {
            line(s, "  %-9s %-11s %-22s %9d bytes %6d ms%s", r.status(), r.name(), r.file(), r.bytes(), r.durationMs(),
                    r.error() == null ? "" : "  " + r.error()
                            + (r.stderrFile() == null ? "" : " (see " + r.stderrFile() + ")"));
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String format, Object... args) {
        s.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
