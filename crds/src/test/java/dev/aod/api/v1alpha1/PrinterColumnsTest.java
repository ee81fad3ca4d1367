package dev.aod.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aod.api.testing.KubeValidator;
import dev.aod.api.testing.KubectlTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get} of the samples, rendered from the generated CRDs' printer columns; written to
 * {@code target/printer-columns.txt} as well.
 */
class PrinterColumnsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final StringBuilder OUT = new StringBuilder();

    private static String get(String plural, String command, boolean wide, boolean all, JsonNode... objects) {
        String table = KubectlTable.render(KubeValidator.forCrd(plural).crd(), List.of(objects), wide, all, NOW);
        OUT.append("$ ").append(command).append('\n').append(table).append('\n');
        return table;
    }

    @Test
    void policies() {
        JsonNode teamA = KubeValidator.parse(Samples.POLICY);
        ObjectNode fresh = (ObjectNode) KubeValidator.parse("""
                apiVersion: aod.dev/v1alpha1
                kind: AnomalyPolicy
                metadata: {name: gpu-nfs, creationTimestamp: "2026-03-01T09:58:30Z"}
                spec: {protocols: [NFS], nodeSelector: {matchLabels: {pool: gpu}}, hung: {after: 1m}}
                status:
                  selectedNodes: 0
                  programmedNodes: 0
                  conditions:
                    - {type: Accepted, status: "True", reason: Valid, message: the spec is valid}
                    - {type: Programmed, status: "False", reason: NoMatchingNodes, message: selector matches no node}
                    - {type: Degraded, status: "False", reason: AsExpected, message: ""}
                """);

        String table = get("anomalypolicies", "kubectl get ap", false, false, teamA, fresh);

        assertThat(table).isEqualTo("""
                NAME      PROTOCOLS       NODES   READY   ACCEPTED   PROGRAMMED   DEGRADED   REASON            AGE
                team-a    ["SMB","NFS"]   7       5       True       False        True       NodesFailed       60m
                gpu-nfs   ["NFS"]         0       0       True       False        False      NoMatchingNodes   90s
                """);
        assertThat(get("anomalypolicies", "kubectl get ap -o wide", true, false, teamA)).startsWith(
                "NAME     PROTOCOLS       NODES   READY   ACCEPTED   PROGRAMMED   DEGRADED   REASON        SUSPENDED   MESSAGE");
    }

    @Test
    void policyNodes() {
        String table = get("anomalypolicynodes", "kubectl get anomalypolicynodes", false, false,
                KubeValidator.parse(Samples.POLICY_NODE));

        assertThat(table).isEqualTo("""
                NAME              NODE       POLICY   PROGRAMMED   REASON        ATTACHED   GENERATION   DROPS   HEARTBEAT   AGE
                team-a.worker-3   worker-3   team-a   False        ProbeFailed   1          3            42      30s         59m
                """);
        get("anomalypolicynodes", "kubectl get anomalypolicynodes -o wide", true, false,
                KubeValidator.parse(Samples.POLICY_NODE));
    }

    @Test
    void events() {
        String table = get("anomalyevents", "kubectl get anomalyevents -A", false, true, KubeValidator.parse(Samples.EVENT));

        assertThat(table).isEqualTo("""
                NAMESPACE    NAME                                NODE       KIND      SERVER              SHARE   OPERATION    WORST   COUNT   BUNDLE    LAST SEEN   AGE
                aod-system   worker-3.latency-5e0c7a1b9d2f4e68   worker-3   Latency   files.example.com   data    SMB2_WRITE   1.84s   17      Shipped   11m         17m
                """);
        get("anomalyevents", "kubectl get anomalyevents -A -o wide", true, true, KubeValidator.parse(Samples.EVENT));
    }

    @Test
    void categoryAod() {
        StringBuilder all = new StringBuilder();
        for (String[] t : new String[][] {{"anomalypolicies", Samples.POLICY}, {"anomalypolicynodes", Samples.POLICY_NODE},
                {"anomalyevents", Samples.EVENT}}) {
            all.append(all.length() == 0 ? "" : "\n").append(KubectlTable.render(KubeValidator.forCrd(t[0]).crd(),
                    List.of(KubeValidator.parse(t[1])), false, false, true, NOW));
        }
        OUT.append("$ kubectl get aod -n aod-system\n").append(all).append('\n');

        assertThat(all.toString()).contains("anomalypolicy.aod.dev/team-a ", "anomalypolicynode.aod.dev/team-a.worker-3 ",
                "anomalyevent.aod.dev/worker-3.latency-5e0c7a1b9d2f4e68 ");
    }

    @Test
    void allOfCategoryAodHaveColumns() {
        for (String plural : List.of("anomalypolicies", "anomalypolicynodes", "anomalyevents")) {
            JsonNode crd = KubeValidator.forCrd(plural).crd();
            assertThat(crd.at("/spec/versions/0/additionalPrinterColumns").size()).isGreaterThanOrEqualTo(8);
            assertThat(crd.at("/spec/names/categories/0").asText()).isEqualTo("aod");
        }
    }

    @AfterAll
    static void write() throws IOException {
        Path out = Path.of("target", "printer-columns.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, OUT.toString(), StandardCharsets.UTF_8);
        System.out.print(OUT);
    }
}
