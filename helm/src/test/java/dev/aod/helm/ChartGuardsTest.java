package dev.aod.helm;

import static dev.aod.helm.Chart.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Strict lint; values that contradict each other or the schema fail with a message that names them. */
class ChartGuardsTest {

    @Test
    void lintsStrictly() {
        LintResult lint = new Helm(Chart.DIR).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    static Stream<Arguments> contradictions() {
        return Stream.of(
                Arguments.of(values("agent.config", Map.of("capture", Map.of("ftrace", Map.of("enabled", true)))),
                        "agent.config.capture.ftrace.enabled=true needs agent.securityProfile=privileged"),
                Arguments.of(values("agent.config", Map.of("capture", Map.of("packetCapture", Map.of("enabled", true)))),
                        "agent.config.capture.packetCapture.enabled=true needs agent.securityProfile=privileged"),
                Arguments.of(values("agent.config", Map.of("capture", Map.of("verbose", Map.of("cifsFyi", true)))),
                        "agent.config.capture.verbose (cifsFyi, rpcDebug) needs agent.securityProfile=privileged"),
                Arguments.of(values("agent.config", Map.of("anomalies", java.util.List.of())),
                        "agent.config.anomalies: is set per node by the operator"),
                Arguments.of(values("agent.config", Map.of("metrics", Map.of("port", 9100))),
                        "agent.config.metrics.port=9100: the agent DaemonSet's probes and the metrics Service use port 9464"),
                Arguments.of(values("agent.config", Map.of("metrics", Map.of("address", "127.0.0.1"))),
                        "agent.config.metrics.address=127.0.0.1: the kubelet probes the agent"),
                Arguments.of(values("agent.config", Map.of("outputDir", "/srv/aod")),
                        "agent.config.outputDir=/srv/aod is not under agent.hostDataDir=/var/lib/aod"),
                Arguments.of(values("operator.replicas", 2, "operator.leaderElection.enabled", false),
                        "operator.replicas=2 with operator.leaderElection.enabled=false"),
                Arguments.of(values("upload.target", "s3", "upload.s3.bucket", "b"),
                        "upload.target=s3 is where the default policy ships bundles, but defaultPolicy.enabled=false"),
                Arguments.of(values("defaultPolicy.enabled", true, "defaultPolicy.spec.upload",
                                Map.of("s3", Map.of("bucket", "b"))),
                        "defaultPolicy.spec.upload: set the upload target with upload.target"),
                Arguments.of(values("defaultPolicy.enabled", true, "upload.target", "persistentVolumeClaim",
                                "upload.persistentVolumeClaim.claimName", ""),
                        "/upload/persistentVolumeClaim/claimName"),
                Arguments.of(values("defaultPolicy.enabled", true, "upload.target", "azureBlob",
                                "upload.azureBlob.accountUrl", ChartCases.AZURE_URL,
                                "upload.azureBlob.sasToken", "t", "upload.azureBlob.connectionString", "c"),
                        "upload.azureBlob: set sasToken or connectionString, not both"),
                Arguments.of(values("defaultPolicy.enabled", true, "upload.target", "azureBlob",
                                "upload.azureBlob.existingSecret", "mine", "upload.azureBlob.sasToken", "t"),
                        "upload.azureBlob: existingSecret names a Secret you made"),
                Arguments.of(values("defaultPolicy.enabled", true, "upload.target", "azureBlob"),
                        "upload.target=azureBlob needs a credential"),
                Arguments.of(values("defaultPolicy.enabled", true, "upload.target", "azureBlob", "upload.azureBlob.sasToken", "t"),
                        "upload.azureBlob.accountUrl is required with a SAS token"),
                Arguments.of(values("defaultPolicy.enabled", true, "upload.target", "s3"),
                        "upload.target=s3 needs upload.s3.bucket"),
                Arguments.of(values("defaultPolicy.enabled", true, "upload.target", "s3", "upload.s3.bucket", "b",
                                "upload.s3.accessKeyId", "AKIA"),
                        "upload.s3: accessKeyId and secretAccessKey go together"),
                Arguments.of(values("defaultPolicy.enabled", true, "upload.target", "s3", "upload.s3.bucket", "b",
                                "upload.s3.existingSecret", "mine", "upload.s3.accessKeyId", "AKIA",
                                "upload.s3.secretAccessKey", "s"),
                        "upload.s3: existingSecret names a Secret you made"),
                // The schema.
                Arguments.of(values("agent.securityProfile", "root"), "/agent/securityProfile"),
                Arguments.of(values("upload.target", "ftp"), "/upload/target"),
                Arguments.of(values("agent.hostDataDir", "var/lib/aod"), "/agent/hostDataDir"),
                Arguments.of(values("operator.replicass", 2), "replicass"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("contradictions")
    void contradictoryValuesFailWithAMessageNamingThem(Map<String, Object> values, String message) {
        assertThatThrownBy(() -> Chart.render(values)).isInstanceOf(Chart.RenderException.class).hasMessageContaining(message);
    }
}
