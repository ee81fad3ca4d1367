package dev.aod.operator.policy;

import dev.aod.config.NearMiss;
import java.util.ArrayList;
import java.util.Collection;
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
        return NearMiss.nearest(value, known);
    }
}
