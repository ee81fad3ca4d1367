package dev.aod.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard queries only series the agent exports, by their Prometheus names
 * (counters with _total, the latency histogram's _bucket/_count/_sum), found in the agent's source.
 */
class DashboardTest {
    private static final Path AGENT_SOURCES = Path.of("..", "node-agent", "src", "main", "java");
    private static final Pattern METRIC = Pattern.compile("\\baod_[a-z_]+");

    @Test
    void queriesOnlyTheAgentsMetricsByTheirExportedNames() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Chart.DIR.resolve("dashboards/aod.json")));
        List<String> exprs = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
        dashboard.path("templating").findValues("definition").forEach(e -> exprs.add(e.asText()));
        Set<String> used = new TreeSet<>();
        exprs.forEach(e -> METRIC.matcher(e).results().forEach(m -> used.add(m.group())));

        Set<String> exported = exportedSeries();
        assertThat(used).isNotEmpty();
        assertThat(exported).as("series the agent exports (from its source)").isNotEmpty();
        assertThat(exported).containsAll(used);
        assertThat(used).as("latency per operation, anomalies, drops, bundles").contains(
                "aod_request_latency_seconds_bucket", "aod_anomalies_total", "aod_kernel_drops", "aod_bundles_total");
        assertThat(exprs).anyMatch(e -> e.contains("probe=~\"smb-.*\"") && e.contains("by (le, operation)"))
                .anyMatch(e -> e.contains("probe=~\"nfs-.*\"") && e.contains("by (le, operation)"));
    }

    /** Counters registered as X are scraped as X_total, histograms as X_bucket, X_count, X_sum, gauges as X. */
    static Set<String> exportedSeries() throws IOException {
        Set<String> series = new HashSet<>();
        Pattern counter = Pattern.compile("(?:counter\\(|Counter\\.builder\\()\\s*\"(aod_[a-z_]+)\"");
        Pattern gauge = Pattern.compile("(?:gauge\\(|Gauge\\.builder\\()\\s*\"(aod_[a-z_]+)\"");
        Pattern timer = Pattern.compile("Timer\\.builder\\(\\s*\"(aod_[a-z_]+)\"");
        Pattern histogram = Pattern.compile("NAME = \"(aod_[a-z_]+_seconds)\"");
        try (Stream<Path> files = Files.walk(AGENT_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                add(series, counter.matcher(source), "_total");
                add(series, gauge.matcher(source), "");
                add(series, timer.matcher(source), "_seconds_count", "_seconds_sum", "_seconds_max");
                add(series, histogram.matcher(source), "_bucket", "_count", "_sum");
            }
        }
        return series;
    }

    private static void add(Set<String> series, Matcher m, String... suffixes) {
        while (m.find()) {
            for (String suffix : suffixes) {
                series.add(m.group(1) + suffix);
            }
        }
    }
}
