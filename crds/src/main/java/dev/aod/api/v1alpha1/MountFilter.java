package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.server) || has(self.share)",
        message = "a mount filter needs a server, a share (or export path), or both")
public record MountFilter(
        @JsonPropertyDescription("Server name or address as in the mount source; case-insensitive. Absent matches any server.")
        @Size(min = 1, max = 253)
        String server,
        @JsonPropertyDescription("SMB share name or NFS export path. Absent matches any share.")
        @Size(min = 1, max = 1024)
        String share) {
}
