package dev.aod.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aod.api.testing.KubeValidator;
import dev.aod.api.testing.KubectlTable;
import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** Accepted, Programmed and Degraded as the user reads them (mock API server by default, see TestApi). */
class PolicyStatusIT extends OperatorITSupport {
    static final String SPEC = "nodeSelector: {matchLabels: {aod.dev/watch: 'true'}}\nprotocols: [SMB]\nhung: {}";

    @Test
    void anInvalidPolicyIsNotAcceptedAndGetsNoConfig() {
        node("w1", "aod.dev/watch", "true");
        startOperator();

        apply("bad", "nodeSelector: {matchLabels: {aod.dev/watch: 'true'}}\nprotocols: [SMB, NFS]\n"
                + "latency: {track: [{operation: SMB2_WRTE, threshold: 50ms}]}\nhung: {after: 2d}");

        eventually(() -> assertThat(conditionText("bad", AnomalyPolicyStatus.ACCEPTED)).isEqualTo("False/Invalid: "
                + "spec.latency.track[0].operation: SMB2_WRTE is not a known SMB2 command or NFS procedure; did you mean SMB2_WRITE?; "
                + "spec.hung.after: must be between 1s and 1d (got 2d)"));
        assertThat(conditionText("bad", AnomalyPolicyStatus.PROGRAMMED))
                .isEqualTo("False/NotAccepted: the spec is invalid; see the Accepted condition");
        assertThat(policy("bad").getStatus().observedGeneration()).isEqualTo(policy("bad").getMetadata().getGeneration());
        assertThat(configuredNodes()).isEmpty();

        apply("bad", "nodeSelector: {matchLabels: {aod.dev/watch: 'true'}}\nprotocols: [SMB, NFS]\n"
                + "latency: {track: [{operation: SMB2_WRITE, threshold: 50ms}]}\nhung: {after: 90s}");

        eventually(() -> assertThat(conditionText("bad", AnomalyPolicyStatus.ACCEPTED))
                .isEqualTo("True/Valid: the spec is valid"));
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));
    }

    @Test
    void whatTheCrdRejectsNeverReachesTheOperator() {
        assertThatThrownBy(() -> apply("cel", "protocols: [SMB]\nlatency: {mode: TrackOnly}"))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("mode TrackOnly needs at least one operation in track");
        assertThatThrownBy(() -> apply("schema", "protocols: [CIFS]\nhung: {}"))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec.protocols[0]");
    }

    @Test
    void aSelectorThatMatchesNoNodeSaysSo() {
        node("w1");
        startOperator();

        apply("lonely", SPEC);

        eventually(() -> assertThat(conditionText("lonely", AnomalyPolicyStatus.PROGRAMMED))
                .isEqualTo("False/NoMatchingNodes: selector matches no node"));
        assertThat(policy("lonely").getStatus().selectedNodes()).isZero();
    }

    @Test
    void nodeStatusesRollUpFalseBeatsUnknownBeatsTrue() {
        node("w1", "aod.dev/watch", "true");
        node("w2", "aod.dev/watch", "true");
        node("w3", "aod.dev/watch", "true");
        startOperator();
        apply("p", SPEC);
        eventually(() -> assertThat(conditionText("p", AnomalyPolicyStatus.PROGRAMMED)).isEqualTo("Unknown/Pending: "
                + "waiting for 3 of 3 nodes: " + nodeName("w1") + " (no status yet), " + nodeName("w2")
                + " (no status yet), " + nodeName("w3") + " (no status yet)"));
        long generation = policy("p").getMetadata().getGeneration();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        reportNode("p", "w1", generation, "True", "smb-wire attached", now);
        reportNode("p", "w2", generation, "True", "smb-wire attached", now);
        eventually(() -> assertThat(conditionText("p", AnomalyPolicyStatus.PROGRAMMED)).isEqualTo("Unknown/Pending: "
                + "waiting for 1 of 3 nodes: " + nodeName("w3") + " (no status yet)"));

        reportNode("p", "w3", generation, "False", "probe smb-wire: VerifierError", now);
        eventually(() -> assertThat(conditionText("p", AnomalyPolicyStatus.PROGRAMMED)).isEqualTo("False/NodesFailed: "
                + "1 of 3 nodes failed: " + nodeName("w3") + ": probe smb-wire: VerifierError"));
        assertThat(conditionText("p", AnomalyPolicyStatus.DEGRADED))
                .isEqualTo("True/NodesFailed: " + nodeName("w3") + ": probe smb-wire: VerifierError");
        assertThat(policy("p").getStatus().programmedNodes()).isEqualTo(2);
        assertThat(policy("p").getStatus().failedNodes()).isEqualTo(1);
        printKubectlGet();

        Instant silent = now.minus(10, ChronoUnit.MINUTES);
        reportNode("p", "w2", generation, "True", "smb-wire attached", silent);
        eventually(() -> assertThat(conditionText("p", AnomalyPolicyStatus.DEGRADED)).isEqualTo("True/NodesFailed: "
                + nodeName("w3") + ": probe smb-wire: VerifierError; " + nodeName("w2") + ": no heartbeat since " + silent));
        assertThat(conditionText("p", AnomalyPolicyStatus.PROGRAMMED)).isEqualTo("False/NodesFailed: "
                + "1 of 3 nodes failed: " + nodeName("w3") + ": probe smb-wire: VerifierError; 1 pending");

        reportNode("p", "w2", generation, "True", "smb-wire attached", now);
        reportNode("p", "w3", generation, "True", "smb-wire attached", now);
        eventually(() -> assertThat(conditionText("p", AnomalyPolicyStatus.PROGRAMMED))
                .isEqualTo("True/Programmed: 3 of 3 nodes run generation " + generation));
        assertThat(conditionText("p", AnomalyPolicyStatus.DEGRADED)).isEqualTo("False/AsExpected: ");
        assertThat(policy("p").getStatus().programmedNodes()).isEqualTo(3);
    }

    /** What kubectl shows of what the operator wrote, from the generated CRDs' printer columns. */
    private void printKubectlGet() {
        java.util.function.BiFunction<String, java.util.List<?>, String> table = (plural, objects) -> KubectlTable.render(
                validator(plural).crd(), objects.stream().map(o -> KubeValidator.parse(Serialization.asJson(o))).toList(),
                false, false, Instant.now());
        String out = "$ kubectl get ap\n" + table.apply("anomalypolicies", java.util.List.of(policy("p")))
                + "\n$ kubectl get anomalypolicynodes\n" + table.apply("anomalypolicynodes",
                        client.resources(AnomalyPolicyNode.class).list().getItems().stream()
                                .filter(n -> n.getSpec().policy().equals(policyName("p"))).toList());
        System.out.print(out);
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "printer-columns-operator.txt"), out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(out).contains("False        True       NodesFailed");
    }

    @Test
    void aNewGenerationIsPendingUntilTheNodesRunIt() {
        node("w1", "aod.dev/watch", "true");
        startOperator();
        apply("p", SPEC);
        eventually(() -> assertThat(policy("p").getStatus()).isNotNull());
        reportNode("p", "w1", policy("p").getMetadata().getGeneration(), "True", "ok", Instant.now());
        eventually(() -> assertThat(condition("p", AnomalyPolicyStatus.PROGRAMMED).getStatus()).isEqualTo("True"));

        apply("p", SPEC.replace("hung: {}", "hung: {after: 1m}"));

        eventually(() -> assertThat(conditionText("p", AnomalyPolicyStatus.PROGRAMMED)).isEqualTo("Unknown/Pending: "
                + "waiting for 1 of 1 nodes: " + nodeName("w1") + " (runs generation 1, not 2)"));
    }

    @Test
    void fiveFailingNodesAreNamedThenCounted() {
        for (int i = 1; i <= 7; i++) {
            node("w" + i, "aod.dev/watch", "true");
        }
        startOperator();
        apply("p", SPEC);
        eventually(() -> assertThat(policy("p").getStatus()).isNotNull());
        long generation = policy("p").getMetadata().getGeneration();
        for (int i = 1; i <= 7; i++) {
            reportNode("p", "w" + i, generation, "False", "config rejected", Instant.now());
        }

        eventually(() -> assertThat(condition("p", AnomalyPolicyStatus.PROGRAMMED).getMessage()).isEqualTo(
                "7 of 7 nodes failed: " + nodeName("w1") + ": config rejected; " + nodeName("w2") + ": config rejected; "
                        + nodeName("w3") + ": config rejected; " + nodeName("w4") + ": config rejected; "
                        + nodeName("w5") + ": config rejected; +2 more"));
    }
}
