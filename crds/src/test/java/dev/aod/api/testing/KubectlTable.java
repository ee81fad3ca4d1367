package dev.aod.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubectl get} output from a CRD's additionalPrinterColumns, as the API server's table
 * converter and kubectl's printer make it: the first match of each JSON path, strings printed
 * as JSONPath prints them (lists and maps as JSON), integers and booleans only when the value
 * has that type, missing cells as {@code <none>}, date columns as the age kubectl shows,
 * columns of priority above 0 only with {@code -o wide}, three spaces between columns.
 */
public final class KubectlTable {
    private static final Pattern STEP = Pattern.compile(
            "\\.([A-Za-z0-9_-]+)|\\[(\\d+)]|\\[\\?\\(@\\.([A-Za-z0-9_]+)==\"([^\"]*)\"\\)]");

    private KubectlTable() {}

    public static String render(JsonNode crd, List<JsonNode> objects, boolean wide, boolean allNamespaces, Instant now) {
        return render(crd, objects, wide, allNamespaces, false, now);
    }

    /**
     * @param qualified names as {@code kubectl get} of several resource types shows them:
     *     {@code anomalypolicy.aod.dev/team-a}
     */
    public static String render(JsonNode crd, List<JsonNode> objects, boolean wide, boolean allNamespaces,
            boolean qualified, Instant now) {
        String prefix = qualified
                ? crd.at("/spec/names/singular").asText() + "." + crd.at("/spec/group").asText() + "/" : "";
        boolean namespaced = "Namespaced".equals(crd.at("/spec/scope").asText());
        List<JsonNode> columns = new ArrayList<>();
        crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> {
            if (wide || c.path("priority").asInt(0) == 0) {
                columns.add(c);
            }
        });
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (namespaced && allNamespaces) {
            header.add("NAMESPACE");
        }
        header.add("NAME");
        columns.forEach(c -> header.add(c.get("name").asText().toUpperCase(Locale.ROOT)));
        rows.add(header);
        for (JsonNode o : objects) {
            List<String> row = new ArrayList<>();
            if (namespaced && allNamespaces) {
                row.add(o.at("/metadata/namespace").asText());
            }
            row.add(prefix + o.at("/metadata/name").asText());
            for (JsonNode c : columns) {
                row.add(cell(c.get("type").asText(), first(o, c.get("jsonPath").asText()), now));
            }
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(r.get(i));
                if (i < r.size() - 1) {
                    line.append(" ".repeat(widths[i] - r.get(i).length() + 3));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** The first value a JSON path (the subset CRD printer columns use) finds, or null. */
    static JsonNode first(JsonNode root, String path) {
        List<JsonNode> current = List.of(root);
        Matcher m = STEP.matcher(path);
        int at = 0;
        while (at < path.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("unsupported JSON path " + path);
            }
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                if (m.group(1) != null) {
                    if (n.has(m.group(1))) {
                        next.add(n.get(m.group(1)));
                    }
                } else if (m.group(2) != null) {
                    int i = Integer.parseInt(m.group(2));
                    if (n.isArray() && i < n.size()) {
                        next.add(n.get(i));
                    }
                } else {
                    for (JsonNode item : n) {
                        if (item.path(m.group(3)).isValueNode() && item.get(m.group(3)).asText().equals(m.group(4))) {
                            next.add(item);
                        }
                    }
                }
            }
            current = next;
            at = m.end();
        }
        return current.isEmpty() || current.get(0).isNull() ? null : current.get(0);
    }

    private static String cell(String type, JsonNode v, Instant now) {
        if (v == null) {
            return "<none>";
        }
        switch (type) {
            case "integer":
                return v.isNumber() ? Long.toString(v.asLong()) : "<none>";
            case "number":
                return v.isNumber() ? v.asText() : "<none>";
            case "boolean":
                return v.isBoolean() ? Boolean.toString(v.asBoolean()) : "<none>";
            case "date":
                return v.isTextual() ? humanDuration(Duration.between(Instant.parse(v.asText()), now)) : "<none>";
            default:
                return v.isTextual() ? v.asText() : v.toString();
        }
    }

    /** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = hours / 24 % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
