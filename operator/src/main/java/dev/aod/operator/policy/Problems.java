package dev.aod.operator.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The semantic errors of one policy, each with its field path, in the order found. */
final class Problems {
    private final List<String> errors = new ArrayList<>();

    void error(String path, String message) {
        errors.add(path + ": " + message);
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** "; did you mean X?" for a near miss, as the agent's config reader says it. */
    static String hint(String value, Collection<String> known) {
        return nearest(value, known).map(k -> "; did you mean " + k + "?").orElse("");
    }

    static Optional<String> nearest(String value, Collection<String> known) {
        String v = value.toLowerCase();
        Optional<String> sameCase = known.stream().filter(k -> k.equalsIgnoreCase(value)).findFirst();
        if (sameCase.isPresent()) {
            return sameCase;
        }
        Optional<String> prefixed = known.stream().filter(k -> k.toLowerCase().endsWith("_" + v)).findFirst();
        if (prefixed.isPresent()) {
            return prefixed;
        }
        return known.stream()
                .filter(k -> distance(k.toLowerCase(), v) <= Math.max(2, value.length() / 4))
                .min(Comparator.comparingInt(k -> distance(k.toLowerCase(), v)));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
