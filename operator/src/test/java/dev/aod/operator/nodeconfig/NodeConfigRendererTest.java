package dev.aod.operator.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.config.AgentConfig;
import dev.aod.config.ConfigLoader;
import dev.aod.config.UploadTarget;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Conflict;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Selected;
import dev.aod.operator.policy.PolicyTranslator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NodeConfigRendererTest {
    private static final AgentConfig BASE = base();
    private static final PolicyTranslator TRANSLATOR = new PolicyTranslator(BASE);

    private static AgentConfig base() {
        try {
            return ConfigLoader.parse("apiVersion: aod.dev/v1alpha1\nkind: AgentConfig\noutputDir: /var/lib/aod\n"
                    + "metrics: {address: 0.0.0.0, port: 9464}\n", "base").config();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Selected policy(String name, String created, long generation, String spec) {
        AnomalyPolicy p = Serialization.unmarshal("apiVersion: aod.dev/v1alpha1\nkind: AnomalyPolicy\n"
                + "metadata: {name: " + name + ", uid: uid-" + name + ", generation: " + generation
                + ", creationTimestamp: '" + created + "'}\nspec:\n" + spec.indent(2), AnomalyPolicy.class);
        return new Selected(p, TRANSLATOR.translate(p));
    }

    @Test
    void detectorsOfAllPoliciesWithTheirProvenanceInTheAgentsFormat() throws Exception {
        Selected a = policy("team-a", "2026-01-01T00:00:00Z", 3, "protocols: [SMB]\nlatency: {}\nhung: {}");
        Selected b = policy("team-b", "2026-01-02T00:00:00Z", 1, "protocols: [NFS]\nsession: {events: [Retransmit]}");

        NodeConfigRenderer.Rendered r = NodeConfigRenderer.render(BASE, "worker-1", List.of(a, b));
        AgentConfig config = ConfigLoader.parse(r.yaml(), "rendered").config();

        assertThat(config.node()).isEqualTo("worker-1");
        assertThat(config.anomalies()).extracting(x -> x.name() + "<-" + x.policy()).containsExactly(
                "team-a.latency-smb<-team-a", "team-a.hung-smb<-team-a", "team-b.session-nfs<-team-b");
        assertThat(config.metrics().address()).isEqualTo("0.0.0.0");
        assertThat(r.policies()).containsExactly(new NodeConfig.PolicyGeneration("team-a", "uid-team-a", 3),
                new NodeConfig.PolicyGeneration("team-b", "uid-team-b", 1));
    }

    @Test
    void nodeLevelSettingsComeFromTheOldestPolicyThatSetsThem() throws Exception {
        Selected older = policy("old", "2026-01-01T00:00:00Z", 1,
                "protocols: [SMB]\nhung: {}\nupload: {s3: {bucket: first}}");
        Selected newer = policy("new", "2026-02-01T00:00:00Z", 1,
                "protocols: [SMB]\nhung: {}\nupload: {s3: {bucket: second}}\nretention: {maxAge: 12h}");
        List<Selected> selected = Stream.of(newer, older)
                .sorted((x, y) -> NodeConfigRenderer.ORDER.compare(x.policy(), y.policy())).toList();

        AgentConfig config = ConfigLoader.parse(NodeConfigRenderer.render(BASE, "n", selected).yaml(), "r").config();

        assertThat(config.upload()).containsInstanceOf(UploadTarget.S3.class);
        assertThat(((UploadTarget.S3) config.upload().orElseThrow()).bucket()).isEqualTo("first");
        assertThat(config.retention().maxAge()).isEqualTo(Duration.ofHours(12));
        assertThat(NodeConfigRenderer.conflicts("new", selected)).containsExactly(new Conflict("upload", "old"));
        assertThat(NodeConfigRenderer.conflicts("old", selected)).isEmpty();
    }

    @Test
    void sameSettingsAreNoConflict() {
        Selected one = policy("one", "2026-01-01T00:00:00Z", 1, "protocols: [SMB]\nhung: {}\nupload: {s3: {bucket: same}}");
        Selected two = policy("two", "2026-01-02T00:00:00Z", 1, "protocols: [NFS]\nhung: {}\nupload: {s3: {bucket: same}}");

        assertThat(NodeConfigRenderer.conflicts("two", List.of(one, two))).isEmpty();
    }

    @Test
    void renderingIsDeterministic() {
        Selected a = policy("team-a", "2026-01-01T00:00:00Z", 3, "protocols: [SMB, NFS]\nlatency: {}\nerrors: {}");

        assertThat(NodeConfigRenderer.render(BASE, "w", List.of(a)))
                .isEqualTo(NodeConfigRenderer.render(BASE, "w", List.of(policy("team-a", "2026-01-01T00:00:00Z", 3,
                        "protocols: [SMB, NFS]\nlatency: {}\nerrors: {}"))));
    }
}
