package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A (ReadWriteMany) PersistentVolumeClaim in the agent's namespace, mounted into every agent pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PersistentVolumeClaimUpload(
        @JsonPropertyDescription("Name of the claim in the agent's namespace.")
        @Required
        @Size(max = 253)
        @Pattern(Patterns.DNS_SUBDOMAIN)
        String claimName,
        @JsonPropertyDescription("Directory prefix of the bundles: <prefix>/<node>/<date>/<bundle>.tar.zst; default aod.")
        @Size(max = 256)
        @Pattern(Upload.PREFIX)
        String prefix) {
}
