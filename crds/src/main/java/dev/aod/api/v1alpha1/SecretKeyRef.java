package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the agent's namespace; the operator mounts the Secret into the agent pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretKeyRef(
        @JsonPropertyDescription("Name of a Secret in the agent's namespace.")
        @Required
        @Size(max = 253)
        @Pattern(Patterns.DNS_SUBDOMAIN)
        String name,
        @JsonPropertyDescription("Key within the Secret.")
        @Required
        @Size(max = 253)
        @Pattern(Patterns.SECRET_KEY)
        String key) {
}
