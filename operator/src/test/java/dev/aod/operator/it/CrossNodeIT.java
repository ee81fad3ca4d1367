package dev.aod.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.v1alpha1.AnomalyEvent;
import dev.aod.api.v1alpha1.CrossNodeCorrelation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cross-node view: several nodes reporting one server and share in one bucket mark their events. */
class CrossNodeIT extends OperatorITSupport {
    private static final Instant START = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 600 * 600);
    private static final String BUCKET = START.toString();

    @Test
    void eventsOfSeveralNodesForOneShareInOneBucketAreLikelyServerSide() {
        startOperator(config("", ""), Clock.systemUTC());

        report("w1-a", "w1", "files", "data", BUCKET);
        report("w2-a", "w2", "files", "data", BUCKET);
        report("w3-a", "w3", "files", "other", BUCKET);
        report("w4-a", "w4", "files", "data", START.plusSeconds(600).toString());

        CrossNodeCorrelation both = new CrossNodeCorrelation(true, 2, List.of("w1", "w2"));
        eventually(() -> {
            assertThat(crossNode("w1-a")).isEqualTo(both);
            assertThat(crossNode("w2-a")).isEqualTo(both);
        });
        report("w5-a", "w5", "files", "data", BUCKET);
        CrossNodeCorrelation three = new CrossNodeCorrelation(true, 3, List.of("w1", "w2", "w5"));
        eventually(() -> {
            assertThat(crossNode("w1-a")).isEqualTo(three);
            assertThat(crossNode("w5-a")).isEqualTo(three);
        });
        assertThat(crossNode("w3-a")).as("another share").isNull();
        assertThat(crossNode("w4-a")).as("another bucket").isNull();
    }

    @Test
    void theAgentsStatusWritesLeaveTheMarkAloneOrGetItBack() {
        startOperator(config("", ""), Clock.systemUTC());
        report("w1-b", "w1", "files", "data", BUCKET);
        report("w2-b", "w2", "files", "data", BUCKET);
        eventually(() -> assertThat(crossNode("w1-b")).isNotNull());

        client.resources(AnomalyEvent.class).inNamespace(ns).withName("w1-b").subresource("status")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\": \"add\", \"path\": \"/status/count\", \"value\": 7}]");

        AnomalyEvent e = client.resources(AnomalyEvent.class).inNamespace(ns).withName("w1-b").get();
        assertThat(e.getStatus().count()).isEqualTo(7);
        assertThat(e.getStatus().crossNode().likelyServerSide()).isTrue();

        client.resources(AnomalyEvent.class).inNamespace(ns).withName("w1-b").subresource("status")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\": \"add\", \"path\": \"/status\", \"value\": {\"count\": 8}}]");
        eventually(() -> assertThat(crossNode("w1-b")).isEqualTo(new CrossNodeCorrelation(true, 2, List.of("w1", "w2"))));
        assertThat(client.resources(AnomalyEvent.class).inNamespace(ns).withName("w1-b").get().getStatus().count())
                .isEqualTo(8);
    }

    private void report(String name, String node, String server, String share, String bucket) {
        String yaml = """
                apiVersion: aod.dev/v1alpha1
                kind: AnomalyEvent
                metadata: {name: %s, namespace: %s}
                spec: {node: %s, policy: p, anomaly: p.latency-smb, kind: Latency, protocol: SMB, server: %s,
                       share: %s, operation: SMB2_WRITE, threshold: 50ms, bucketStart: "%s"}
                status: {count: 1, firstSeen: "%s", lastSeen: "%s", observed: 1.2s}
                """.formatted(name, ns, node, server, share, bucket, bucket, bucket);
        assertThat(validator("anomalyevents").validate(yaml)).isEmpty();
        AnomalyEvent e = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml, AnomalyEvent.class);
        client.resource(e).create();
    }

    private CrossNodeCorrelation crossNode(String name) {
        AnomalyEvent e = client.resources(AnomalyEvent.class).inNamespace(ns).withName(name).get();
        return e == null || e.getStatus() == null ? null : e.getStatus().crossNode();
    }
}
