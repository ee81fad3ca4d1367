package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the nodes ship bundles; exactly one target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.persistentVolumeClaim), has(self.azureBlob), has(self.s3)].filter(x, x).size() == 1",
        message = "exactly one of persistentVolumeClaim, azureBlob or s3 is required")
public record Upload(
        @JsonPropertyDescription("A shared volume, mounted into every agent pod.")
        PersistentVolumeClaimUpload persistentVolumeClaim,
        @JsonPropertyDescription("Azure Blob Storage.")
        AzureBlobUpload azureBlob,
        @JsonPropertyDescription("S3 or an S3-compatible store.")
        S3Upload s3) {

    static final String PREFIX = "^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$";
}
