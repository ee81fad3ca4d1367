package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Azure Blob Storage. Credentials: a connection string, or a SAS token with accountUrl, or the
 * workload identity of the agent pods when neither is given.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.connectionStringSecret) && has(self.sasTokenSecret))",
        message = "takes either connectionStringSecret or sasTokenSecret, not both")
@ValidationRule(value = "has(self.accountUrl) || has(self.connectionStringSecret)",
        message = "accountUrl is required unless connectionStringSecret is given")
public record AzureBlobUpload(
        @JsonPropertyDescription("https://ACCOUNT.blob.core.windows.net")
        @Size(max = 512)
        @Pattern(Patterns.HTTP_URL)
        String accountUrl,
        @JsonPropertyDescription("Container name: 3-63 lower-case letters, digits and single hyphens.")
        @Required
        @Pattern("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")
        String container,
        @JsonPropertyDescription("Blob name prefix: <prefix>/<node>/<date>/<bundle>.tar.zst; default aod.")
        @Size(max = 256)
        @Pattern(Upload.PREFIX)
        String prefix,
        @JsonPropertyDescription("The storage account's connection string.")
        SecretKeyRef connectionStringSecret,
        @JsonPropertyDescription("A SAS token for accountUrl.")
        SecretKeyRef sasTokenSecret) {
}
