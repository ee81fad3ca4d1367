package dev.aod.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** metav1.Condition handling as meta.SetStatusCondition does it: the transition time moves only with the status. */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";
    private static final int MAX_MESSAGE = 32_768;

    private Conditions() {}

    public static Condition make(List<Condition> previous, String type, String status, String reason, String message,
            Long generation, Instant now) {
        String transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (previous != null) {
            for (Condition c : previous) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    transition = c.getLastTransitionTime();
                }
            }
        }
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(text)
                .withObservedGeneration(generation).withLastTransitionTime(transition).build();
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
