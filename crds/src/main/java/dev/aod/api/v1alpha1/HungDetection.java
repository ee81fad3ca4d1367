package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Requests on the wire that have not completed after a while; each is reported once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HungDetection(
        @JsonPropertyDescription("A request still outstanding this long is hung (1s to 24h).")
        @Default(DEFAULT_AFTER)
        @Pattern(Patterns.DURATION)
        String after,
        @JsonPropertyDescription("Only these SMB2 commands or NFS procedures; absent means all.")
        @Size(max = 128)
        List<@Size(max = 64) @Pattern(Patterns.OPERATION) String> operations) {

    public static final String DEFAULT_AFTER = "30s";
}
