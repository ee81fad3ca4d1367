package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The evidence bundle and how far shipping got. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleRef(
        @JsonPropertyDescription("Where the bundle is: file:///..., https://ACCOUNT.blob.core.windows.net/..., s3://bucket/...")
        @Size(max = 2048)
        String uri,
        @Min(0)
        Long bytes,
        @Pattern("^[0-9a-f]{64}$")
        String sha256,
        BundleState state,
        @JsonPropertyDescription("Why it failed or was skipped.")
        @Size(max = 1024)
        String message) {
}
