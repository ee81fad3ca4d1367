package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationThreshold(
        @JsonPropertyDescription("SMB2 command (SMB2_WRITE), NFS procedure (WRITE) or, at layer VFS, VFS operation (write).")
        @Required
        @Size(max = 64)
        @Pattern(Patterns.OPERATION)
        String operation,
        @JsonPropertyDescription("Slower requests count; absent uses defaultThreshold.")
        @Size(max = 32)
        @Pattern(Patterns.DURATION)
        String threshold) {
}
