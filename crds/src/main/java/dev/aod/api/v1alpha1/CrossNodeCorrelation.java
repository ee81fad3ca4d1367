package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Set by the operator when several nodes report the same server and share at the same time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CrossNodeCorrelation(
        @JsonPropertyDescription("True when the pattern points at the server or the network rather than this client.")
        Boolean likelyServerSide,
        @JsonPropertyDescription("Nodes reporting the same server and share in the same bucket.")
        @Min(0)
        Integer nodeCount,
        @Size(max = 10)
        List<@Size(max = 253) String> nodes) {
}
