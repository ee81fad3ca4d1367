package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** The Kubernetes volume behind the mount, where it is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeRef(
        @Size(max = 253)
        String persistentVolume,
        @Size(max = 63)
        String claimNamespace,
        @Size(max = 253)
        String claimName,
        @Size(max = 1024)
        String mountPoint) {
}
