package dev.aod.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean …?": the known name closest to a misspelt one, by edit distance, ignoring case. */
public final class NearMiss {
    private NearMiss() {}

    /** "; did you mean X?" for a near miss, else "". */
    public static String hint(String value, Collection<String> known) {
        return nearest(value, known).map(k -> "; did you mean " + k + "?").orElse("");
    }

    public static Optional<String> nearest(String value, Collection<String> known) {
        String v = value.toLowerCase();
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
