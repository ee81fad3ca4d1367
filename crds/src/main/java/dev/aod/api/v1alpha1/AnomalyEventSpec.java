package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.aod.api.build.SchemaPatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What was seen where: the identity of the event, set at creation and immutable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable: a new occurrence is a new AnomalyEvent")
@SchemaCustomizer(value = SchemaPatch.class, input = """
        {"properties": {"bucketStart": {"format": "date-time"}}}
        """)
public record AnomalyEventSpec(
        @Required
        @Size(max = 253)
        @Pattern(Patterns.DNS_SUBDOMAIN)
        String node,
        @JsonPropertyDescription("The AnomalyPolicy; empty for a standalone agent.")
        @Size(max = 253)
        String policy,
        @JsonPropertyDescription("The detector, <policy>.<detector>-<protocol>.")
        @Required
        @Size(max = 63)
        String anomaly,
        @Required
        AnomalyKind kind,
        @Required
        Protocol protocol,
        @JsonPropertyDescription("Server name or address of the mount.")
        @Size(max = 253)
        String server,
        @JsonPropertyDescription("SMB share or NFS export path.")
        @Size(max = 1024)
        String share,
        @JsonPropertyDescription("SMB2 command, NFS procedure, VFS operation or session event.")
        @Size(max = 64)
        String operation,
        @JsonPropertyDescription("The detector's threshold, e.g. 50ms; for errors the counted code.")
        @Size(max = 32)
        String threshold,
        @JsonPropertyDescription("Start of the time bucket that groups repeats into this event.")
        @Size(max = 64)
        String bucketStart) {
}
