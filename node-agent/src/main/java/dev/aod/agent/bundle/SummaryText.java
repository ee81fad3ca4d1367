package dev.aod.agent.bundle;

import dev.aod.agent.capture.ActionResult;
import dev.aod.agent.capture.RecordedEvent;
import java.util.Comparator;
import java.util.Locale;

/** summary.txt: the page a support engineer reads before anything else in the bundle. */
final class SummaryText {
    private static final int SLOWEST = 10;

    private SummaryText() {}

    static String render(Manifest m) {
        StringBuilder s = new StringBuilder();
        Manifest.AnomalyInfo a = m.anomaly();
        line(s, "AOD bundle %s, made %s", m.bundle(), m.createdAt());
        line(s, "Node %s, kernel %s, agent %s", m.node().hostname(), m.node().kernel(), m.node().agentVersion());
        line(s, "");
        line(s, "%s %s anomaly \"%s\"%s: %s", a.protocol(), a.kind().toLowerCase(Locale.ROOT), a.name(),
                a.policy() == null || a.policy().isEmpty() ? "" : " (policy " + a.policy() + ")", a.summary());
        line(s, "Trigger %s; first counted event %s, last %s", a.trigger(), a.firstSeen(), a.lastSeen());
        line(s, "Breakdown: %s", a.observed().breakdown());
        line(s, "");
        line(s, "Slowest requests:");
        line(s, "  %-30s %-8s %-22s %12s %8s %-16s %s", "time", "kind", "operation", "latency ms", "pid", "comm", "error");
        m.events().stream()
                .sorted(Comparator.comparingDouble(RecordedEvent::latencyMs).reversed())
                .limit(SLOWEST)
                .forEach(e -> line(s, "  %-30s %-8s %-22s %12.1f %8d %-16s %s", e.time(), e.kind(), e.operation(),
                        e.latencyMs(), e.pid(), e.comm(), e.error() == null ? "" : e.error()));
        line(s, "");
        line(s, "Evidence:");
        for (ActionResult r : m.actions()) {
            line(s, "  %-9s %-16s %-26s %9d bytes %6d ms%s", r.status(), r.name(), r.file() == null ? "-" : r.file(),
                    r.bytes(), r.durationMs(), r.error() == null ? ""
                            : "  " + r.error() + (r.stderrFile() == null ? "" : " (see " + r.stderrFile() + ")"));
        }
        if (m.redactions() > 0) {
            line(s, "");
            line(s, "%d credential(s) were removed from the files.", m.redactions());
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String format, Object... args) {
        s.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
