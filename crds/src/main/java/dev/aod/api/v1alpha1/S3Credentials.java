package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An access key pair kept in one Secret of the agent's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3Credentials(
        @JsonPropertyDescription("Name of a Secret in the agent's namespace.")
        @Required
        @Size(max = 253)
        @Pattern(Patterns.DNS_SUBDOMAIN)
        String name,
        @JsonPropertyDescription("Key holding the access key id.")
        @Default(DEFAULT_ACCESS_KEY_ID_KEY)
        @Size(max = 253)
        @Pattern(Patterns.SECRET_KEY)
        String accessKeyIdKey,
        @JsonPropertyDescription("Key holding the secret access key.")
        @Default(DEFAULT_SECRET_ACCESS_KEY_KEY)
        @Size(max = 253)
        @Pattern(Patterns.SECRET_KEY)
        String secretAccessKeyKey) {

    public static final String DEFAULT_ACCESS_KEY_ID_KEY = "accessKeyId";
    public static final String DEFAULT_SECRET_ACCESS_KEY_KEY = "secretAccessKey";
}
