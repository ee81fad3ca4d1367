package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Quantity;

/** How long bundles stay on the node; a bundle not yet shipped is never removed silently. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Retention(
        @JsonPropertyDescription("Bundles older than this are removed (1m to 3650d).")
        @Default(DEFAULT_MAX_AGE)
        @Pattern(Patterns.DURATION)
        String maxAge,
        @JsonPropertyDescription("Then the oldest go until the rest fit in this size, e.g. 200Mi.")
        @Default(DEFAULT_MAX_TOTAL_SIZE)
        Quantity maxTotalSize) {

    public static final String DEFAULT_MAX_AGE = "2d";
    public static final String DEFAULT_MAX_TOTAL_SIZE = "200Mi";
}
