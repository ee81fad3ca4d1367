package dev.aod.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.testing.KubeValidator;
import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.config.ActionNames;
import dev.aod.config.AgentConfig;
import dev.aod.config.ConfigLoader;
import dev.aod.config.ConfigWriter;
import dev.aod.config.ErrorSpec;
import dev.aod.config.HungSpec;
import dev.aod.config.LatencySpec;
import dev.aod.config.MountFilter;
import dev.aod.config.RetentionSettings;
import dev.aod.config.SessionSpec;
import dev.aod.config.UploadTarget;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SessionEvent;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTranslatorTest {
    static final AgentConfig BASE = base();
    private static final PolicyTranslator TRANSLATOR = new PolicyTranslator(BASE);

    static AgentConfig base() {
        try {
            return ConfigLoader.parse("apiVersion: aod.dev/v1alpha1\nkind: AgentConfig\noutputDir: /var/lib/aod\n", "base")
                    .config();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sample() {
        try (InputStream in = PolicyTranslatorTest.class.getResourceAsStream("/samples/anomalypolicy.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A policy as the API server stores it: validated against the CRD, defaults filled in. */
    static AnomalyPolicy stored(String spec) {
        String yaml = "apiVersion: aod.dev/v1alpha1\nkind: AnomalyPolicy\nmetadata: {name: team-a, uid: u1, generation: 1}\n"
                + "spec:\n" + spec.indent(2);
        KubeValidator validator = KubeValidator.forCrd("anomalypolicies");
        assertThat(validator.validate(yaml)).as("the API server accepts it").isEmpty();
        return Serialization.unmarshal(validator.withDefaults(KubeValidator.parse(yaml)).toString(), AnomalyPolicy.class);
    }

    /** Submitted as is, as the mock API server would store it. */
    static AnomalyPolicy raw(String spec) {
        return Serialization.unmarshal("apiVersion: aod.dev/v1alpha1\nkind: AnomalyPolicy\nmetadata: {name: team-a}\n"
                + "spec:\n" + spec.indent(2), AnomalyPolicy.class);
    }

    @Test
    void theSampleBecomesEightDetectorsTheAgentReads() {
        AnomalyPolicy policy = Serialization.unmarshal(sample(), AnomalyPolicy.class);

        Translation t = TRANSLATOR.translate(policy);

        assertThat(t.errors()).isEmpty();
        assertThat(t.detectorNames()).containsExactly("team-a.latency-smb", "team-a.latency-nfs", "team-a.errors-smb",
                "team-a.errors-nfs", "team-a.hung-smb", "team-a.hung-nfs", "team-a.session-smb", "team-a.session-nfs");
        LatencySpec smb = (LatencySpec) t.anomalies().get(0);
        assertThat(smb.policy()).isEqualTo("team-a");
        assertThat(smb.protocol()).isEqualTo(Protocol.SMB);
        assertThat(smb.thresholds()).containsExactly(Map.entry("SMB2_WRITE", Duration.ofMillis(50)),
                Map.entry("SMB2_READ", Duration.ofMillis(20)));
        assertThat(smb.minCount()).isEqualTo(3);
        assertThat(smb.window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(smb.ceiling()).isEqualTo(Duration.ofSeconds(2));
        assertThat(smb.cooldown()).isEqualTo(Duration.ofMinutes(10));
        assertThat(smb.mounts()).containsExactly(new MountFilter("files.example.com", "data"), new MountFilter("10.0.0.7", ""));
        assertThat(smb.actions()).containsExactly("sysinfo", "dmesg", "debugdata", "stats", "mountstats", "flight_recorder",
                "ftrace");
        LatencySpec nfs = (LatencySpec) t.anomalies().get(1);
        assertThat(nfs.thresholds()).containsExactly(Map.entry("WRITE", Duration.ofMillis(50)),
                Map.entry("READ", Duration.ofMillis(20)));
        ErrorSpec errors = (ErrorSpec) t.anomalies().get(3);
        assertThat(errors.codes()).containsExactly("EIO", "ETIMEDOUT", "EACCES");
        assertThat(errors.excludeCodes()).isFalse();
        assertThat(((HungSpec) t.anomalies().get(4)).after()).isEqualTo(Duration.ofSeconds(45));
        assertThat(((SessionSpec) t.anomalies().get(6)).events()).containsExactly(SessionEvent.RECONNECT);
        assertThat(((SessionSpec) t.anomalies().get(7)).events()).containsExactly(SessionEvent.RETRANSMIT);
        assertThat(t.upload()).contains(new UploadTarget.AzureBlob("https://diag.blob.core.windows.net", "aod-bundles",
                "cluster-a", "", "/etc/aod/secrets/aod-blob/sasToken"));
        assertThat(t.retention()).contains(new RetentionSettings(RetentionSettings.DEFAULTS.interval(),
                Duration.ofHours(36), 1L << 30));
    }

    @Test
    void defaultsAreTheAgentsDefaults() {
        Translation t = TRANSLATOR.translate(stored("protocols: [SMB]\nlatency: {}\nerrors: {}\nhung: {}\nsession: {}"));

        LatencySpec l = (LatencySpec) t.anomalies().get(0);
        assertThat(l.layer()).isEqualTo(Layer.WIRE);
        assertThat(l.thresholds()).hasSize(OperationTable.of(Protocol.SMB, Layer.WIRE).names().size())
                .allSatisfy((op, d) -> assertThat(d).isEqualTo(Duration.ofMillis(10)));
        assertThat(l.minCount()).isEqualTo(10);
        assertThat(l.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(l.ceiling()).isEqualTo(Duration.ofSeconds(1));
        assertThat(l.cooldown()).isEqualTo(Duration.ofMinutes(5));
        assertThat(l.actions()).isEqualTo(ActionNames.defaultsFor(Protocol.SMB));
        ErrorSpec e = (ErrorSpec) t.anomalies().get(1);
        assertThat(e.excludeCodes()).isTrue();
        assertThat(e.codes()).isEmpty();
        assertThat(e.minCount()).isEqualTo(1);
        assertThat(e.window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(((HungSpec) t.anomalies().get(2)).after()).isEqualTo(Duration.ofSeconds(30));
        SessionSpec s = (SessionSpec) t.anomalies().get(3);
        assertThat(s.events()).containsExactlyElementsOf(SessionEvent.of(Protocol.SMB));
        assertThat(s.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.upload()).isEmpty();
        assertThat(t.retention()).isEmpty();
    }

    @Test
    void sameDefaultsWhetherTheApiServerFilledThemInOrNot() {
        String spec = "protocols: [NFS]\nlatency: {exclude: [COMMIT]}\nerrors: {excludeCodes: [EINTR]}\nhung: {}\n"
                + "retention: {}\nsession: {}\nupload: {s3: {bucket: diag, credentialsSecret: {name: keys}}}";

        assertThat(TRANSLATOR.translate(raw(spec))).isEqualTo(TRANSLATOR.translate(stored(spec)));
    }

    @Test
    void modesPerProtocol() {
        Translation excludeOnly = TRANSLATOR.translate(stored(
                "protocols: [SMB]\nlatency: {mode: ExcludeOnly, defaultThreshold: 100ms, exclude: [SMB2_ECHO, SMB2_OPLOCK_BREAK]}"));
        LatencySpec l = (LatencySpec) excludeOnly.anomalies().get(0);
        assertThat(l.thresholds()).doesNotContainKeys("SMB2_ECHO", "SMB2_OPLOCK_BREAK").containsEntry("SMB2_READ",
                Duration.ofMillis(100));

        Translation vfs = TRANSLATOR.translate(stored(
                "protocols: [SMB, NFS]\nlatency: {layer: VFS, mode: TrackOnly, track: [{operation: fsync, threshold: 1s}]}"));
        assertThat(vfs.anomalies()).extracting(a -> ((LatencySpec) a).thresholds())
                .containsOnly(Map.of("fsync", Duration.ofSeconds(1)));

        Translation all = TRANSLATOR.translate(stored(
                "protocols: [SMB, NFS]\nlatency: {track: [{operation: SMB2_WRITE, threshold: 40ms}], exclude: [GETATTR]}"));
        assertThat(((LatencySpec) all.anomalies().get(0)).thresholds()).containsEntry("SMB2_WRITE", Duration.ofMillis(40))
                .containsEntry("SMB2_READ", Duration.ofMillis(10));
        assertThat(((LatencySpec) all.anomalies().get(1)).thresholds()).doesNotContainKey("GETATTR")
                .containsEntry("WRITE", Duration.ofMillis(10));
    }

    @Test
    void uploadTargetsBecomeMountedPaths() {
        assertThat(TRANSLATOR.translate(stored("protocols: [SMB]\nhung: {}\nupload: {persistentVolumeClaim: {claimName: bundles}}"))
                .upload()).contains(new UploadTarget.Directory(java.nio.file.Path.of("/var/lib/aod-upload/bundles"), "aod"));
        assertThat(TRANSLATOR.translate(stored("protocols: [SMB]\nhung: {}\n"
                + "upload: {s3: {bucket: diag, region: eu-west-1, credentialsSecret: {name: s3-keys}}}")).upload())
                .contains(new UploadTarget.S3("diag", "aod", "eu-west-1", "", false, "/etc/aod/secrets/s3-keys/accessKeyId",
                        "/etc/aod/secrets/s3-keys/secretAccessKey"));
        assertThat(TRANSLATOR.translate(stored("protocols: [SMB]\nhung: {}\n"
                + "upload: {s3: {bucket: diag, endpoint: 'http://minio:9000', pathStyle: true}}")).upload())
                .contains(new UploadTarget.S3("diag", "aod", "", "http://minio:9000", true, "", ""));
        assertThat(TRANSLATOR.translate(stored("protocols: [SMB]\nhung: {}\n"
                + "upload: {azureBlob: {container: logs, connectionStringSecret: {name: blob, key: conn}}}")).upload())
                .contains(new UploadTarget.AzureBlob("", "logs", "aod", "/etc/aod/secrets/blob/conn", ""));
    }

    @Test
    void semanticErrorsNameTheirField() {
        assertErrors("protocols: [SMB]\nlatency: {track: [{operation: SMB2_WRTE}]}",
                "spec.latency.track[0].operation: SMB2_WRTE is not a known SMB2 command; did you mean SMB2_WRITE?");
        assertErrors("protocols: [SMB, NFS]\nerrors: {operations: [REED]}",
                "spec.errors.operations[0]: REED is not a known SMB2 command or NFS procedure; did you mean READ?");
        assertErrors("protocols: [NFS]\nerrors: {excludeCodes: [EIOO]}",
                "spec.errors.excludeCodes[0]: EIOO is not an errno name such as EACCES, EIO, ETIMEDOUT; did you mean EIO?");
        assertErrors("protocols: [NFS]\nhung: {after: 500ms}", "spec.hung.after: must be between 1s and 1d (got 500ms)");
        assertErrors("protocols: [NFS]\nhung: {}\ncooldown: 2d", "spec.cooldown: must be between 0s and 1d (got 2d)");
        assertErrors("protocols: [SMB, NFS]\nlatency: {mode: TrackOnly, track: [{operation: SMB2_WRITE}]}",
                "spec.latency.track: names no NFS procedure for NFS: track one or remove NFS from spec.protocols");
        assertErrors("protocols: [SMB, NFS]\nsession: {events: [Reconnect]}",
                "spec.session.events: names no NFS event (Retransmit, RpcTimeout): add one or remove NFS from spec.protocols");
        assertErrors("protocols: [SMB]\nhung: {operations: [READ]}",
                "spec.hung.operations[0]: READ is not a known SMB2 command; did you mean SMB2_READ?");
        assertErrors("protocols: [SMB]\nlatency: {window: 2d}", "spec.latency.window: must be between 1ms and 1d (got 2d)");
        assertErrors("protocols: [SMB]\nhung: {}\nretention: {maxTotalSize: 1Ki}",
                "spec.retention.maxTotalSize: must be between 64Ki and 1Pi (got 1Ki)");
        assertErrors("protocols: [SMB]\nhung: {}\nnodeSelector: {matchExpressions: [{key: pool, operator: Equals}]}",
                "spec.nodeSelector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist (got Equals)");
    }

    @Test
    void whatTheCrdRulesRejectIsRejectedHereToo() {
        assertErrors("protocols: [SMB]\nlatency: {mode: TrackOnly}", "spec.latency: mode TrackOnly needs at least one operation in track");
        assertErrors("protocols: [SMB]\nlatency: {track: [{operation: SMB2_READ}], exclude: [SMB2_READ]}",
                "spec.latency.exclude[0]: SMB2_READ is in both track and exclude");
        assertErrors("protocols: [SMB]", "spec: at least one of latency, errors, hung or session is required");
        assertErrors("protocols: [SMB]\nhung: {}\nupload: {}", "spec.upload: exactly one of persistentVolumeClaim, azureBlob or s3 is required");
        assertErrors("protocols: [SMB]\nerrors: {codes: [EIO]}",
                "spec.errors: codes apply only in mode TrackOnly; in mode All every error counts unless listed in excludeCodes");
        AnomalyPolicy longName = raw("protocols: [SMB]\nhung: {}");
        longName.getMetadata().setName("x".repeat(52));
        assertThat(TRANSLATOR.translate(longName).errors()).containsExactly(
                "metadata.name: must be at most 51 characters: detectors are named <policy>.<detector>-<protocol>, at most 63 (got 52)");
    }

    @Test
    void everyTranslationIsReadBackByTheAgentsReader() throws Exception {
        Translation t = TRANSLATOR.translate(Serialization.unmarshal(sample(), AnomalyPolicy.class));
        AgentConfig alone = new AgentConfig("n1", BASE.outputDir(), BASE.bundleDir(), BASE.pollInterval(), t.anomalies(),
                BASE.capture(), t.retention().orElseThrow(), t.upload(), BASE.metrics());

        assertThat(t.accepted()).isTrue();
        assertThat(ConfigLoader.parse(ConfigWriter.toYaml(alone), "rendered").config()).isEqualTo(alone);
    }

    private static void assertErrors(String spec, String... expected) {
        assertThat(TRANSLATOR.translate(raw(spec)).errors()).containsExactly(expected);
    }
}
