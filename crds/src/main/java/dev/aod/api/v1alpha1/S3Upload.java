package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** S3 or an S3-compatible store. Without credentialsSecret the default AWS provider chain (IRSA, pod identity) is used. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3Upload(
        @Required
        @Size(min = 3, max = 63)
        @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
        String bucket,
        @JsonPropertyDescription("Object key prefix: <prefix>/<node>/<date>/<bundle>.tar.zst; default aod.")
        @Size(max = 256)
        @Pattern(Upload.PREFIX)
        String prefix,
        @Size(max = 64)
        @Pattern("^[a-z0-9-]+$")
        String region,
        @JsonPropertyDescription("Endpoint of an S3-compatible store, e.g. https://minio.example:9000.")
        @Size(max = 512)
        @Pattern(Patterns.HTTP_URL)
        String endpoint,
        @JsonPropertyDescription("Path-style addressing, as many S3-compatible stores need.")
        Boolean pathStyle,
        S3Credentials credentialsSecret) {
}
