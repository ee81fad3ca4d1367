package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One probe family on the node, e.g. smb-wire or nfs-rpc. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeStatus(
        @JsonPropertyDescription("Probe name, e.g. smb-wire, smb-vfs, nfs-rpc.")
        @Required
        @Size(max = 63)
        String name,
        Protocol protocol,
        @Required
        ProbeState state,
        @JsonPropertyDescription("Why, in CamelCase: ModuleAbsent, TracepointMissing, VerifierError, PermissionDenied, ...")
        @Size(max = 63)
        @Pattern("^[A-Za-z][A-Za-z0-9]*$")
        String reason,
        @JsonPropertyDescription("Details for a person.")
        @Size(max = 1024)
        String message,
        @JsonPropertyDescription("Since when the probe is in this state.")
        String lastTransitionTime) {
}
