package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which policy on which node; set at creation and immutable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "policy and node are immutable")
public record AnomalyPolicyNodeSpec(
        @JsonPropertyDescription("The AnomalyPolicy.")
        @Required
        @Size(max = 253)
        @Pattern(Patterns.DNS_SUBDOMAIN)
        String policy,
        @JsonPropertyDescription("The Node.")
        @Required
        @Size(max = 253)
        @Pattern(Patterns.DNS_SUBDOMAIN)
        String node) {
}
