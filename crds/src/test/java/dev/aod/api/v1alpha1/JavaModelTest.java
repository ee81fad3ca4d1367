package dev.aod.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aod.api.testing.KubeValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** The Java classes read and write every field of the CRDs, through Fabric8's serialization. */
class JavaModelTest {

    @Test
    void policyRoundTrips() {
        AnomalyPolicy p = Serialization.unmarshal(Samples.POLICY, AnomalyPolicy.class);

        assertThat(p.getSpec().latency().mode()).isEqualTo(LatencyMode.TRACK_ONLY);
        assertThat(p.getSpec().latency().track()).contains(new OperationThreshold("SMB2_WRITE", "50ms"));
        assertThat(p.getSpec().session().events()).containsExactly(SessionEventType.RECONNECT, SessionEventType.RETRANSMIT);
        assertThat(p.getSpec().actions()).contains(Action.FLIGHT_RECORDER);
        assertThat(p.getSpec().upload().azureBlob().sasTokenSecret()).isEqualTo(new SecretKeyRef("aod-blob", "sasToken"));
        assertThat(p.getSpec().retention().maxTotalSize().getNumericalAmount().longValueExact()).isEqualTo(1L << 30);
        assertThat(p.getStatus().conditions()).hasSize(3);
        assertSameJson(Serialization.asJson(p), Samples.POLICY);
    }

    @Test
    void policyNodeAndEventRoundTrip() {
        AnomalyPolicyNode n = Serialization.unmarshal(Samples.POLICY_NODE, AnomalyPolicyNode.class);
        AnomalyEvent e = Serialization.unmarshal(Samples.EVENT, AnomalyEvent.class);

        assertThat(n.getStatus().probes().get(1).state()).isEqualTo(ProbeState.FAILED);
        assertThat(n.getStatus().drops()).containsEntry("ringBufferFull", 40L);
        assertThat(e.getSpec().kind()).isEqualTo(AnomalyKind.LATENCY);
        assertThat(e.getStatus().bundle().state()).isEqualTo(BundleState.SHIPPED);
        assertThat(e.getMetadata().getNamespace()).isEqualTo("aod-system");
        assertSameJson(Serialization.asJson(n), Samples.POLICY_NODE);
        assertSameJson(Serialization.asJson(e), Samples.EVENT);
    }

    @Test
    void absentFieldsStayAbsent() {
        AnomalyPolicy p = new AnomalyPolicy("p", new AnomalyPolicySpec(null, java.util.List.of(Protocol.SMB), null, null,
                null, new HungDetection(null, null), null, null, null, null, null, null));

        assertThat(Serialization.asJson(p.getSpec())).isEqualTo("{\"protocols\":[\"SMB\"],\"hung\":{}}");
    }

    private static void assertSameJson(String json, String yaml) {
        JsonNode expected = KubeValidator.parse(yaml);
        JsonNode actual = KubeValidator.parse(json);
        assertThat(actual).isEqualTo(expected);
    }
}
