package dev.aod.operator.nodeconfig;

import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.config.AgentConfig;
import dev.aod.config.AnomalySpec;
import dev.aod.config.ConfigWriter;
import dev.aod.config.RetentionSettings;
import dev.aod.config.UploadTarget;
import dev.aod.operator.policy.Translation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Merges the policies that select a node into that node's AgentConfig. Detectors add up; a
 * node-level setting (upload, retention) comes from the oldest policy that sets it, and
 * {@link #conflicts} names the policies whose different setting was not used.
 */
public final class NodeConfigRenderer {
    /** Oldest first, then by name: the order policies are merged in. */
    public static final Comparator<AnomalyPolicy> ORDER = Comparator
            .comparing((AnomalyPolicy p) -> p.getMetadata().getCreationTimestamp() == null ? ""
                    : p.getMetadata().getCreationTimestamp())
            .thenComparing(p -> p.getMetadata().getName());

    private NodeConfigRenderer() {}

    /** One policy in a node's config with its translation. */
    public record Selected(AnomalyPolicy policy, Translation translation) {}

    /** A rendered node config. */
    public record Rendered(String yaml, List<NodeConfig.PolicyGeneration> policies) {}

    /** @param selected the accepted, not suspended policies that select the node, in {@link #ORDER} */
    public static Rendered render(AgentConfig base, String node, List<Selected> selected) {
        List<AnomalySpec> anomalies = new ArrayList<>();
        List<NodeConfig.PolicyGeneration> policies = new ArrayList<>();
        Optional<UploadTarget> upload = Optional.empty();
        Optional<RetentionSettings> retention = Optional.empty();
        for (Selected s : selected) {
            anomalies.addAll(s.translation().anomalies());
            if (upload.isEmpty()) {
                upload = s.translation().upload();
            }
            if (retention.isEmpty()) {
                retention = s.translation().retention();
            }
            AnomalyPolicy p = s.policy();
            policies.add(new NodeConfig.PolicyGeneration(p.getMetadata().getName(), p.getMetadata().getUid(),
                    p.getMetadata().getGeneration() == null ? 0 : p.getMetadata().getGeneration()));
        }
        AgentConfig config = new AgentConfig(node, base.outputDir(), base.bundleDir(), base.pollInterval(), anomalies,
                base.capture(), retention.orElse(base.retention()), upload, base.metrics());
        return new Rendered(ConfigWriter.toYaml(config), policies);
    }

    /** A setting of one policy that a node does not use because an older policy sets it differently. */
    public record Conflict(String setting, String usedFrom) {}

    /** What of {@code policy}'s node-level settings a node with {@code selected} does not use. */
    public static List<Conflict> conflicts(String policy, List<Selected> selected) {
        Translation mine = selected.stream().filter(s -> s.translation().policy().equals(policy)).findFirst()
                .map(Selected::translation).orElse(null);
        List<Conflict> out = new ArrayList<>();
        if (mine == null) {
            return out;
        }
        Selected uploadFrom = selected.stream().filter(s -> s.translation().upload().isPresent()).findFirst().orElse(null);
        if (mine.upload().isPresent() && uploadFrom != null && !uploadFrom.translation().policy().equals(policy)
                && !uploadFrom.translation().upload().equals(mine.upload())) {
            out.add(new Conflict("upload", uploadFrom.translation().policy()));
        }
        Selected retentionFrom = selected.stream().filter(s -> s.translation().retention().isPresent()).findFirst()
                .orElse(null);
        if (mine.retention().isPresent() && retentionFrom != null && !retentionFrom.translation().policy().equals(policy)
                && !retentionFrom.translation().retention().equals(mine.retention())) {
            out.add(new Conflict("retention", retentionFrom.translation().policy()));
        }
        return out;
    }
}
