package dev.aod.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyNodeStatus;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Conflict;
import dev.aod.operator.status.NodeRollUp.NodeState;
import dev.aod.operator.status.NodeRollUp.State;
import dev.aod.operator.status.NodeRollUp.Summary;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRollUpTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration STALE = Duration.ofMinutes(5);

    static AnomalyPolicyNode apn(String node, long generation, String status, String message, Instant heartbeat) {
        AnomalyPolicyNode apn = new AnomalyPolicyNode("p", node);
        apn.setStatus(new AnomalyPolicyNodeStatus(generation, 1L, List.of(new ConditionBuilder().withType("Programmed")
                .withStatus(status).withReason(status.equals("True") ? "ProbesAttached" : "ProbeFailed")
                .withMessage(message).withLastTransitionTime(heartbeat.toString()).build()), null, 1, 0L, null,
                heartbeat.toString(), null, null));
        return apn;
    }

    private static NodeState state(AnomalyPolicyNode apn) {
        return NodeRollUp.state(apn == null ? "n" : apn.getSpec().node(), apn, 3, NOW, STALE);
    }

    @Test
    void eachNodeIsTrueFalseOrUnknown() {
        assertThat(state(apn("a", 3, "True", "smb-wire attached", NOW)).state()).isEqualTo(State.TRUE);
        assertThat(state(apn("a", 3, "False", "probe nfs-rpc: VerifierError", NOW)))
                .isEqualTo(new NodeState("a", State.FALSE, "probe nfs-rpc: VerifierError", false));
        assertThat(state(null)).isEqualTo(new NodeState("n", State.UNKNOWN, "no status yet", false));
        assertThat(state(apn("a", 2, "True", "", NOW)))
                .isEqualTo(new NodeState("a", State.UNKNOWN, "runs generation 2, not 3", false));
        assertThat(state(apn("a", 3, "True", "", NOW.minus(Duration.ofMinutes(12)))))
                .isEqualTo(new NodeState("a", State.UNKNOWN, "no heartbeat since 2026-03-01T09:48:00Z", true));
    }

    @Test
    void falseBeatsUnknownBeatsTrue() {
        NodeState ok = new NodeState("a", State.TRUE, "", false);
        NodeState pending = new NodeState("b", State.UNKNOWN, "no status yet", false);
        NodeState failed = new NodeState("c", State.FALSE, "config rejected", false);

        Summary all = NodeRollUp.summarize(List.of(ok, pending, failed), 3, Map.of());
        assertThat(all.programmedCondition()).isEqualTo(new NodeRollUp.Verdict("False", "NodesFailed",
                "1 of 3 nodes failed: c: config rejected; 1 pending"));
        assertThat(all.degradedCondition()).isEqualTo(new NodeRollUp.Verdict("True", "NodesFailed", "c: config rejected"));
        assertThat(List.of(all.selected(), all.programmed(), all.failed(), all.pending())).containsExactly(3, 1, 1, 1);

        Summary pendingOnly = NodeRollUp.summarize(List.of(ok, pending), 3, Map.of());
        assertThat(pendingOnly.programmedCondition()).isEqualTo(new NodeRollUp.Verdict("Unknown", "Pending",
                "waiting for 1 of 2 nodes: b (no status yet)"));
        assertThat(pendingOnly.degradedCondition().status()).isEqualTo("False");

        Summary good = NodeRollUp.summarize(List.of(ok), 3, Map.of());
        assertThat(good.programmedCondition()).isEqualTo(new NodeRollUp.Verdict("True", "Programmed",
                "1 of 1 nodes run generation 3"));
        assertThat(good.degradedCondition()).isEqualTo(new NodeRollUp.Verdict("False", "AsExpected", ""));
    }

    @Test
    void fiveNodesAreNamedThenTheRestCounted() {
        List<NodeState> failed = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            failed.add(new NodeState("w" + i, State.FALSE, "probe smb-wire: VerifierError", false));
        }

        assertThat(NodeRollUp.summarize(failed, 1, Map.of()).programmedCondition().message()).isEqualTo(
                "8 of 8 nodes failed: w1: probe smb-wire: VerifierError; w2: probe smb-wire: VerifierError; "
                        + "w3: probe smb-wire: VerifierError; w4: probe smb-wire: VerifierError; "
                        + "w5: probe smb-wire: VerifierError; +3 more");
    }

    @Test
    void staleNodesAndConflictsDegrade() {
        NodeState stale = new NodeState("w1", State.UNKNOWN, "no heartbeat since 2026-03-01T09:48:00Z", true);
        Summary s = NodeRollUp.summarize(List.of(stale), 1, Map.of("w1", List.of(new Conflict("upload", "old"))));

        assertThat(s.degradedCondition()).isEqualTo(new NodeRollUp.Verdict("True", "NodesNotReporting",
                "w1: no heartbeat since 2026-03-01T09:48:00Z; on w1 upload comes from policy old, the oldest policy that sets it"));
    }
}
