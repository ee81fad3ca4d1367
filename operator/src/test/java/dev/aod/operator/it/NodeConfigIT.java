package dev.aod.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.NodeConfig;
import dev.aod.config.UploadTarget;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Policies in, one rendered agent config per selected node out (mock API server by default, see TestApi). */
class NodeConfigIT extends OperatorITSupport {
    static final String SMB_LATENCY = "nodeSelector: {matchLabels: {aod.dev/watch: 'true'}}\nprotocols: [SMB]\n"
            + "latency: {mode: TrackOnly, track: [{operation: SMB2_WRITE, threshold: 50ms}]}";

    @Test
    void aPolicyGetsAConfigOnExactlyTheMatchingNodes() {
        node("w1", "aod.dev/watch", "true");
        node("w2", "aod.dev/watch", "true");
        node("w3");
        startOperator();

        AnomalyPolicy policy = apply("smb", SMB_LATENCY);

        eventually(() -> assertThat(configuredNodes()).containsExactly("w1", "w2"));
        assertThat(detectors("w1")).containsExactly(policyName("smb") + ".latency-smb");
        assertThat(agentConfig("w1").node()).isEqualTo(nodeName("w1"));
        assertThat(agentConfig("w1").anomalies().get(0).policy()).isEqualTo(policyName("smb"));
        ConfigMap cm = configMap("w1");
        assertThat(cm.getMetadata().getAnnotations()).containsEntry(NodeConfig.GENERATION_ANNOTATION, "1")
                .containsEntry(NodeConfig.NODE_ANNOTATION, nodeName("w1"));
        assertThat(NodeConfig.parsePolicies(cm.getMetadata().getAnnotations().get(NodeConfig.POLICIES_ANNOTATION)))
                .containsExactly(new NodeConfig.PolicyGeneration(policyName("smb"), policy.getMetadata().getUid(),
                        policy.getMetadata().getGeneration()));
        assertThat(cm.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Node/" + nodeName("w1")));
        eventually(() -> assertThat(policy("smb").getStatus().selectedNodes()).isEqualTo(2));
    }

    @Test
    void aLabelChangeMovesTheConfig() {
        node("w1", "aod.dev/watch", "true");
        node("w2");
        startOperator();
        apply("smb", SMB_LATENCY);
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));

        label("w1", "aod.dev/watch", null);
        label("w2", "aod.dev/watch", "true");

        eventually(() -> assertThat(configuredNodes()).containsExactly("w2"));
        eventually(() -> assertThat(policy("smb").getStatus().selectedNodes()).isEqualTo(1));
    }

    @Test
    void deletingThePolicyRemovesItsConfigsAndItsNodeStatuses() {
        node("w1", "aod.dev/watch", "true");
        startOperator();
        apply("smb", SMB_LATENCY);
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));
        reportNode("smb", "w1", 1, "True", "smb-wire attached", java.time.Instant.now());

        delete("smb");

        eventually(() -> assertThat(configuredNodes()).isEmpty());
        eventually(() -> assertThat(client.resources(dev.aod.api.v1alpha1.AnomalyPolicyNode.class)
                .withName(policyName("smb") + "." + nodeName("w1")).get()).isNull());
    }

    @Test
    void policiesSelectingTheSameNodeAreMergedOldestFirst() {
        node("w1", "aod.dev/watch", "true", "pool", "storage");
        node("w2", "pool", "storage");
        startOperator();
        apply("a", SMB_LATENCY + "\nupload: {s3: {bucket: first-bucket}}");
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));
        apply("b", "nodeSelector: {matchLabels: {pool: storage}}\nprotocols: [NFS]\nhung: {}\n"
                + "upload: {s3: {bucket: second-bucket}}");

        eventually(() -> assertThat(detectors("w1")).containsExactly(policyName("a") + ".latency-smb",
                policyName("b") + ".hung-nfs"));
        assertThat(detectors("w2")).containsExactly(policyName("b") + ".hung-nfs");
        assertThat(((UploadTarget.S3) agentConfig("w1").upload().orElseThrow()).bucket()).isEqualTo("first-bucket");
        assertThat(((UploadTarget.S3) agentConfig("w2").upload().orElseThrow()).bucket()).isEqualTo("second-bucket");
        eventually(() -> assertThat(conditionText("b", "Degraded")).isEqualTo("True/ConflictingSettings: on "
                + nodeName("w1") + " upload comes from policy " + policyName("a") + ", the oldest policy that sets it"));
        assertThat(conditionText("a", "Degraded")).isEqualTo("False/AsExpected: ");

        delete("a");

        eventually(() -> assertThat(detectors("w1")).containsExactly(policyName("b") + ".hung-nfs"));
        eventually(() -> assertThat(conditionText("b", "Degraded")).isEqualTo("False/AsExpected: "));
    }

    @Test
    void aSuspendedPolicyLeavesTheNodes() {
        node("w1", "aod.dev/watch", "true");
        startOperator();
        apply("smb", SMB_LATENCY);
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));

        apply("smb", SMB_LATENCY + "\nsuspend: true");

        eventually(() -> assertThat(configuredNodes()).isEmpty());
        eventually(() -> assertThat(conditionText("smb", "Programmed"))
                .isEqualTo("False/Suspended: spec.suspend is true: no node runs this policy"));

        apply("smb", SMB_LATENCY + "\nsuspend: false");

        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));
    }

    @Test
    void aChangedPolicyIsAnotherConfigGeneration() {
        node("w1", "aod.dev/watch", "true");
        startOperator();
        apply("smb", SMB_LATENCY);
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));

        apply("smb", SMB_LATENCY.replace("50ms", "80ms"));

        eventually(() -> assertThat(configMap("w1").getMetadata().getAnnotations())
                .containsEntry(NodeConfig.GENERATION_ANNOTATION, "2"));
        assertThat(agentConfig("w1").anomalies().get(0)).satisfies(a -> assertThat(
                ((dev.aod.config.LatencySpec) a).thresholds()).containsEntry("SMB2_WRITE", Duration.ofMillis(80)));
        assertThat(NodeConfig.parsePolicies(configMap("w1").getMetadata().getAnnotations()
                .get(NodeConfig.POLICIES_ANNOTATION)).get(0).generation()).isEqualTo(2);
    }

    @Test
    void aDeletedNodeTakesItsConfigAlong() {
        node("w1", "aod.dev/watch", "true");
        node("w2", "aod.dev/watch", "true");
        startOperator();
        apply("smb", SMB_LATENCY);
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1", "w2"));

        client.nodes().withName(nodeName("w2")).delete();

        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));
    }

    @Test
    void handEditsAndDeletionsOfAConfigAreRepaired() {
        node("w1", "aod.dev/watch", "true");
        startOperator();
        apply("smb", SMB_LATENCY);
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));
        String rendered = configMap("w1").getData().get(NodeConfig.CONFIG_KEY);

        client.configMaps().inNamespace(ns).withName(NodeConfig.configMapName(nodeName("w1")))
                .edit(cm -> {
                    cm.getData().put(NodeConfig.CONFIG_KEY, "hand: edited\n");
                    return cm;
                });
        eventually(() -> assertThat(configMap("w1").getData().get(NodeConfig.CONFIG_KEY)).isEqualTo(rendered));

        client.configMaps().inNamespace(ns).withName(NodeConfig.configMapName(nodeName("w1"))).delete();
        eventually(() -> assertThat(configMap("w1")).isNotNull());
        assertThat(configMap("w1").getData().get(NodeConfig.CONFIG_KEY)).isEqualTo(rendered);
    }

    @Test
    void reconcilingAgainChangesNothing() throws InterruptedException {
        node("w1", "aod.dev/watch", "true");
        node("w2");
        startOperator();
        apply("smb", SMB_LATENCY);
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));
        eventually(() -> assertThat(policy("smb").getStatus()).isNotNull());
        Thread.sleep(1000);
        String configVersion = configMap("w1").getMetadata().getResourceVersion();
        String policyVersion = policy("smb").getMetadata().getResourceVersion();

        label("w1", "unrelated", "x");
        label("w2", "unrelated", "x");
        operators.get(0).stop();
        operators.clear();
        startOperator();
        Thread.sleep(3000);

        assertThat(configMap("w1").getMetadata().getResourceVersion()).isEqualTo(configVersion);
        assertThat(policy("smb").getMetadata().getResourceVersion()).isEqualTo(policyVersion);
        assertThat(configuredNodes()).containsExactly("w1");
        assertThat(Map.of("generation", configMap("w1").getMetadata().getAnnotations()
                .get(NodeConfig.GENERATION_ANNOTATION))).containsEntry("generation", "1");
        assertThat(List.of(operators.get(0).isReady())).containsExactly(true);
    }
}
