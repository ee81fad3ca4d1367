package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.aod.api.build.SchemaPatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Written by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = SchemaPatch.class, input = "{\"properties\": {\"conditions\": " + Patterns.CONDITIONS_PATCH + "}}")
public record AnomalyPolicyStatus(
        @JsonPropertyDescription("The generation these conditions describe.")
        Long observedGeneration,
        @JsonPropertyDescription("Accepted (the spec is valid), Programmed (every selected node runs this generation), "
                + "Degraded (running, with trouble).")
        List<Condition> conditions,
        @JsonPropertyDescription("Nodes the selector matches among those an agent runs on.")
        Integer selectedNodes,
        @JsonPropertyDescription("Selected nodes whose agent runs this generation.")
        Integer programmedNodes,
        @JsonPropertyDescription("Selected nodes whose agent reports a failure.")
        Integer failedNodes,
        @JsonPropertyDescription("Selected nodes not yet reporting this generation.")
        Integer pendingNodes,
        @JsonPropertyDescription("The detector names in the nodes' configs, as AnomalyEvents name them.")
        List<String> detectors) {

    public static final String ACCEPTED = "Accepted";
    public static final String PROGRAMMED = "Programmed";
    public static final String DEGRADED = "Degraded";
}
