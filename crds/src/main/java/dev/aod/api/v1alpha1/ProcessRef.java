package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** A process that issued the requests, with its pod where it has one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessRef(
        @Size(max = 63)
        String namespace,
        @Size(max = 253)
        String pod,
        @Size(max = 63)
        String container,
        @JsonPropertyDescription("The command name (comm).")
        @Size(max = 16)
        String command,
        @Min(0)
        Long pid,
        @JsonPropertyDescription("Requests of this process among the event's.")
        @Min(0)
        Long count) {
}
