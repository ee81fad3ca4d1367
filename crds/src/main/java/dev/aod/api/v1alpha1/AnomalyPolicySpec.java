package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.aod.api.build.SchemaPatch;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * What to watch on which nodes. Each detector (latency, errors, hung, session) runs once per
 * protocol on every selected node, as {@code <policy>.<detector>-<protocol>} in the node's config.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.latency) || has(self.errors) || has(self.hung) || has(self.session)",
        message = "at least one of latency, errors, hung or session is required")
@SchemaCustomizer(value = SchemaPatch.class, input = """
        {"properties": {
          "protocols": {"x-kubernetes-list-type": "set"},
          "actions": {"x-kubernetes-list-type": "set"},
          "latency": {"properties": {
            "track": {"x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["operation"]},
            "exclude": {"x-kubernetes-list-type": "set"}}},
          "errors": {"properties": {
            "codes": {"x-kubernetes-list-type": "set"},
            "excludeCodes": {"x-kubernetes-list-type": "set"},
            "operations": {"x-kubernetes-list-type": "set"}}},
          "hung": {"properties": {"operations": {"x-kubernetes-list-type": "set"}}},
          "session": {"properties": {"events": {"x-kubernetes-list-type": "set"}}}}}
        """)
public record AnomalyPolicySpec(
        @JsonPropertyDescription("Nodes to watch, by label. Absent or empty selects every node an agent runs on.")
        LabelSelector nodeSelector,
        @JsonPropertyDescription("SMB, NFS or both; every detector runs for each.")
        @Required
        @Size(min = 1, max = 2)
        List<Protocol> protocols,
        @JsonPropertyDescription("Only requests to these mounts count; absent means every mount of the protocols.")
        @Size(max = 32)
        List<MountFilter> mounts,
        @JsonPropertyDescription("Slow requests.")
        LatencyDetection latency,
        @JsonPropertyDescription("Failing requests.")
        ErrorDetection errors,
        @JsonPropertyDescription("Requests that never complete.")
        HungDetection hung,
        @JsonPropertyDescription("Reconnects, credit stalls, retransmits and RPC timeouts.")
        SessionDetection session,
        @JsonPropertyDescription("After firing, a detector stays quiet this long per mount and operation (0s to 1d).")
        @Default(DEFAULT_COOLDOWN)
        @Pattern(Patterns.DURATION)
        String cooldown,
        @JsonPropertyDescription("Evidence each bundle carries; absent means the protocol's default set.")
        @Size(max = 32)
        List<Action> actions,
        @JsonPropertyDescription("Where the nodes ship bundles; absent keeps them on the node.")
        Upload upload,
        @JsonPropertyDescription("How long bundles stay on the node.")
        Retention retention,
        @JsonPropertyDescription("True removes this policy's detectors from every node until it is false again.")
        @Default("false")
        Boolean suspend) {

    public static final String DEFAULT_COOLDOWN = "5m";

    public boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }
}
