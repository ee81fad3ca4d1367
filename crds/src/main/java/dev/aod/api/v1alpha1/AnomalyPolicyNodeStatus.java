package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.aod.api.build.SchemaPatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/**
 * Written by the node's agent. The operator reads {@code observedGeneration}, the
 * {@code Programmed} condition and {@code lastHeartbeatTime} into the policy's status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = SchemaPatch.class, input = "{\"properties\": {\"conditions\": " + Patterns.CONDITIONS_PATCH + ", "
        + "\"probes\": {\"x-kubernetes-list-type\": \"map\", \"x-kubernetes-list-map-keys\": [\"name\"], "
        + "\"items\": {\"properties\": {\"lastTransitionTime\": {\"format\": \"date-time\"}}}}, "
        + "\"lastHeartbeatTime\": {\"format\": \"date-time\"}}}")
public record AnomalyPolicyNodeStatus(
        @JsonPropertyDescription("The policy generation the agent runs (from the node config's aod.dev/policies annotation).")
        Long observedGeneration,
        @JsonPropertyDescription("The node config generation the agent runs (the ConfigMap's aod.dev/config-generation).")
        Long configGeneration,
        @JsonPropertyDescription("Programmed: True when the agent runs this policy's detectors with their probes attached "
                + "(or not applicable); False when the config was rejected or a probe failed.")
        @Size(max = 8)
        List<Condition> conditions,
        @JsonPropertyDescription("The probes this policy's detectors need.")
        @Size(max = 16)
        List<ProbeStatus> probes,
        @JsonPropertyDescription("How many probes are attached.")
        @Min(0)
        Integer attachedProbes,
        @JsonPropertyDescription("Kernel events lost since the agent started, all reasons.")
        @Min(0)
        Long droppedEvents,
        @JsonPropertyDescription("Kernel events lost by reason: ringBufferFull, inflightFull, ...")
        @Size(max = 16)
        Map<String, Long> drops,
        @JsonPropertyDescription("When the agent last wrote this status.")
        String lastHeartbeatTime,
        @Size(max = 128)
        String kernelVersion,
        @Size(max = 64)
        String agentVersion) {

    public static final String PROGRAMMED = "Programmed";
}
