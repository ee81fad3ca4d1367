package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.aod.api.build.SchemaPatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How often and how badly, and where the evidence is. Updated by the agent as repeats arrive and shipping progresses. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.firstSeen) || !has(self.lastSeen) || self.firstSeen <= self.lastSeen",
        message = "firstSeen must not be after lastSeen")
@SchemaCustomizer(value = SchemaPatch.class, input = """
        {"properties": {"firstSeen": {"format": "date-time"}, "lastSeen": {"format": "date-time"}}}
        """)
public record AnomalyEventStatus(
        @JsonPropertyDescription("Occurrences in this bucket.")
        @Min(1)
        Long count,
        @Size(max = 64)
        String firstSeen,
        @Size(max = 64)
        String lastSeen,
        @JsonPropertyDescription("The worst seen: a latency (1.25s), an errno name (EIO) or a session event.")
        @Size(max = 32)
        String observed,
        @JsonPropertyDescription("The processes that issued the most of these requests.")
        @Size(max = 5)
        List<ProcessRef> top,
        VolumeRef volume,
        BundleRef bundle,
        CrossNodeCorrelation crossNode) {
}
