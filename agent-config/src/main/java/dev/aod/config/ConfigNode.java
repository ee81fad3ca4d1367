package dev.aod.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A YAML node that knows its path and reports every type or range error into {@link ConfigProblems}. */
final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final ConfigProblems problems;

    ConfigNode(JsonNode node, String path, ConfigProblems problems) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    /** Present and not an empty string (YAML {@code key:} with nothing after it). */
    boolean hasValue() {
        return isPresent() && !(node.isTextual() && node.asText().isEmpty());
    }

    ConfigNode get(String key) {
        return new ConfigNode(node.get(key), path.isEmpty() ? key : path + "." + key, problems);
    }

    void error(String message) {
        problems.error(path, shown(), message);
    }

    void notice(String message) {
        problems.notice(path, message);
    }

    /** Errors on every key not in {@code known}, suggesting the nearest known one. */
    void allowOnly(Collection<String> known) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String hint = NearMiss.hint(key, known);
                problems.error(path.isEmpty() ? key : path + "." + key, null,
                        "unknown key" + hint + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    boolean requireMap() {
        if (isPresent() && !node.isObject()) {
            error("must be a mapping of keys to values");
            return false;
        }
        return isPresent();
    }

    /** The entries of a mapping in file order; empty (with an error) if this is not a mapping. */
    List<Map.Entry<String, ConfigNode>> entries() {
        List<Map.Entry<String, ConfigNode>> out = new ArrayList<>();
        if (requireMap()) {
            node.fields().forEachRemaining(e -> out.add(Map.entry(e.getKey(), get(e.getKey()))));
        }
        return out;
    }

    /** The items of a list; empty (with an error) if present and not a list. */
    List<ConfigNode> items() {
        List<ConfigNode> out = new ArrayList<>();
        if (!isPresent()) {
            return out;
        }
        if (!node.isArray()) {
            error("must be a list");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(node.get(i), path + "[" + i + "]", problems));
        }
        return out;
    }

    Optional<String> string() {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            error("must be a string");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    /** A string that matches {@code pattern} as a whole; {@code shape} says what that is in the error. */
    Optional<String> pattern(java.util.regex.Pattern pattern, String shape) {
        Optional<String> s = string();
        if (s.isPresent() && !pattern.matcher(s.get()).matches()) {
            error("must be " + shape);
            return Optional.empty();
        }
        return s;
    }

    Optional<String> requiredString() {
        if (!isPresent()) {
            error("is required");
        }
        return string();
    }

    Optional<Boolean> bool() {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            error("must be true or false");
            return Optional.empty();
        }
        return Optional.of(node.booleanValue());
    }

    /** A whole number in [min, max]; strings such as "5" are errors, not numbers. */
    Optional<Long> integer(long min, long max) {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() && !(node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble()))) {
            error("must be a whole number");
            return Optional.empty();
        }
        long v = node.asLong();
        if (v < min || v > max) {
            error("must be between " + min + " and " + max);
            return Optional.empty();
        }
        return Optional.of(v);
    }

    Optional<Long> requiredInteger(long min, long max) {
        if (!isPresent()) {
            error("is required");
        }
        return integer(min, max);
    }

    /** A number (whole or decimal) in (or at) the given bounds. */
    Optional<Double> number(double min, boolean minInclusive, double max) {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            error("must be a number");
            return Optional.empty();
        }
        double v = node.asDouble();
        if (v < min || (!minInclusive && v == min) || v > max) {
            error("must be " + (minInclusive ? "at least " : "greater than ") + trim(min) + " and at most " + trim(max));
            return Optional.empty();
        }
        return Optional.of(v);
    }

    /** One of {@code allowed}, compared ignoring case; the canonical spelling is returned. */
    Optional<String> oneOf(List<String> allowed, boolean ignoreCase) {
        Optional<String> s = string();
        if (s.isEmpty()) {
            return s;
        }
        for (String a : allowed) {
            if (ignoreCase ? a.equalsIgnoreCase(s.get()) : a.equals(s.get())) {
                return Optional.of(a);
            }
        }
        error("must be one of " + String.join(", ", allowed) + hint(s.get(), allowed));
        return Optional.empty();
    }

    /** A duration in [min, max], written with its unit ("250ms", "5s"). */
    Optional<java.time.Duration> duration(java.time.Duration min, java.time.Duration max) {
        Optional<String> text = scalarText();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<java.time.Duration> d = Units.parseDuration(text.get());
        if (d.isEmpty()) {
            error("must be " + Units.describeDuration());
            return d;
        }
        if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
            error("must be between " + Units.formatDuration(min) + " and " + Units.formatDuration(max));
            return Optional.empty();
        }
        return d;
    }

    /** A size in bytes in [min, max], written with its unit ("200MiB") or as plain bytes. */
    Optional<Long> size(long min, long max) {
        Optional<String> text = scalarText();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<Long> n = Units.parseSize(text.get());
        if (n.isEmpty()) {
            error("must be " + Units.describeSize());
            return n;
        }
        if (n.get() < min || n.get() > max) {
            error("must be between " + Units.formatSize(min) + " and " + Units.formatSize(max));
            return Optional.empty();
        }
        return n;
    }

    /** Strings and plain numbers (for sizes in bytes); anything else is an error. */
    private Optional<String> scalarText() {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (node.isTextual() || node.isIntegralNumber()) {
            return Optional.of(node.asText());
        }
        error("must be a string");
        return Optional.empty();
    }

    /** The keys of a mapping (no error if absent). */
    List<String> keyList() {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    boolean isList() {
        return node.isArray();
    }

    boolean isMap() {
        return node.isObject();
    }

    String shown() {
        if (!isPresent()) {
            return null;
        }
        if (node.isTextual()) {
            return "\"" + node.asText() + "\"";
        }
        String json = node.toString();
        return json.length() <= 80 ? json : null;
    }

    static String hint(String value, Collection<String> known) {
        return NearMiss.hint(value, known);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static Set<String> keys(String... keys) {
        return new java.util.LinkedHashSet<>(List.of(keys));
    }
}
