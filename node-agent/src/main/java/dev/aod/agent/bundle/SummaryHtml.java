package dev.aod.agent.bundle;

import dev.aod.agent.capture.ActionResult;
import dev.aod.agent.capture.RecordedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * summary.html: the bundle's front page, readable offline (no scripts, no external resources), with
 * a latency chart of the flight-recorder window before the trigger.
 */
final class SummaryHtml {
    private static final int WIDTH = 880;
    private static final int HEIGHT = 260;
    private static final int LEFT = 60;
    private static final int BOTTOM = 30;
    private static final Map<String, String> COLORS = Map.of("SLOW", "#d9822b", "ERROR", "#c23030", "HUNG", "#8f398f",
            "SESSION", "#2965cc");

    private SummaryHtml() {}

    static String render(Manifest m, List<RecordedEvent> window) {
        Manifest.AnomalyInfo a = m.anomaly();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(m.bundle()))
                .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:70em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
                        + ".OK{color:#0a0}.FAILED,.TIMED_OUT{color:#c00}.SKIPPED{color:#888}</style></head><body>");
        h.append("<h1>").append(esc(a.protocol())).append(' ').append(esc(a.kind().toLowerCase(Locale.ROOT)))
                .append(" anomaly: ").append(esc(a.name())).append("</h1>");
        h.append("<p>").append(esc(a.summary())).append("</p>");
        h.append("<table>");
        row(h, "Node", m.node().hostname() + " (kernel " + m.node().kernel() + ", agent " + m.node().agentVersion() + ")");
        row(h, "Mount", a.server().isEmpty() ? "not identified" : a.server() + " " + a.share());
        row(h, "Operation", a.operation());
        row(h, "Trigger", a.trigger() + (a.thresholdMs() > 0 ? String.format(Locale.ROOT, ", threshold %.1f ms", a.thresholdMs()) : ""));
        row(h, "Observed", a.observed().count() + " events, worst " + String.format(Locale.ROOT, "%.1f ms",
                a.observed().maxLatencyMs()) + ", " + a.observed().breakdown());
        row(h, "First / last", a.firstSeen() + " / " + a.lastSeen());
        row(h, "Bundle made", m.createdAt().toString());
        if (a.policy() != null && !a.policy().isEmpty()) {
            row(h, "Policy", a.policy());
        }
        h.append("</table>");
        h.append("<h2>Latency before the trigger (flight recorder, ").append(window.size()).append(" events)</h2>");
        h.append(chart(window, m.createdAt(), a.thresholdMs()));
        h.append("<h2>Slowest requests</h2><table><tr><th>time</th><th>kind</th><th>operation</th><th>latency ms</th>"
                + "<th>pid</th><th>comm</th><th>error</th></tr>");
        m.events().stream().sorted(Comparator.comparingDouble(RecordedEvent::latencyMs).reversed()).limit(20)
                .forEach(e -> h.append("<tr><td>").append(e.time()).append("</td><td>").append(e.kind())
                        .append("</td><td>").append(esc(e.operation())).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.1f", e.latencyMs())).append("</td><td>").append(e.pid())
                        .append("</td><td>").append(esc(e.comm())).append("</td><td>")
                        .append(e.error() == null ? "" : esc(e.error())).append("</td></tr>"));
        h.append("</table><h2>Evidence</h2><table><tr><th>action</th><th>status</th><th>file</th><th>bytes</th>"
                + "<th>ms</th><th>note</th></tr>");
        for (ActionResult r : m.actions()) {
            h.append("<tr><td>").append(esc(r.name())).append("</td><td class=\"").append(r.status()).append("\">")
                    .append(r.status()).append("</td><td>").append(r.file() == null ? "" : esc(r.file()))
                    .append("</td><td>").append(r.bytes()).append("</td><td>").append(r.durationMs())
                    .append("</td><td>").append(r.error() == null ? "" : esc(r.error())).append("</td></tr>");
        }
        h.append("</table>");
        if (m.redactions() > 0) {
            h.append("<p>").append(m.redactions()).append(" credential(s) were removed from the files.</p>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String chart(List<RecordedEvent> events, Instant end, double thresholdMs) {
        if (events.isEmpty()) {
            return "<p>No probe events in the window.</p>";
        }
        Instant start = events.get(0).time();
        double spanMs = Math.max(1, Duration.between(start, end).toMillis());
        double maxMs = Math.max(thresholdMs * 1.5, events.stream().mapToDouble(RecordedEvent::latencyMs).max().orElse(1));
        int plotW = WIDTH - LEFT - 10;
        int plotH = HEIGHT - BOTTOM - 10;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "role=\"img\" aria-label=\"latency of probe events over time\">", WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
                LEFT, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double ms = maxMs * i / 4;
            double y = 10 + plotH - plotH * ms / maxMs;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.0f ms</text>",
                    LEFT - 4, y + 3, ms));
        }
        if (thresholdMs > 0) {
            double y = 10 + plotH - plotH * thresholdMs / maxMs;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" "
                    + "stroke-dasharray=\"4 3\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#888\">threshold</text>",
                    LEFT, LEFT + plotW, y, y, LEFT + 4, y - 3));
        }
        for (RecordedEvent e : events) {
            double x = LEFT + plotW * Duration.between(start, e.time()).toMillis() / spanMs;
            double y = 10 + plotH - plotH * Math.min(e.latencyMs(), maxMs) / maxMs;
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s %s %.1f ms</title></circle>",
                    x, y, COLORS.getOrDefault(e.kind(), "#555"), esc(e.operation()), e.kind(), e.latencyMs()));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>", LEFT, HEIGHT - 8, start));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">trigger %s</text>",
                LEFT + plotW, HEIGHT - 8, end));
        return s.append("</svg>").toString();
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
