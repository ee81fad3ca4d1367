package dev.aod.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aod.protocol.Layer;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SessionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

class NativeConfigReaderTest {
    private static final String HEAD = """
            apiVersion: aod.dev/v1alpha1
            kind: AgentConfig
            outputDir: /var/lib/aod
            """;

    static final String FULL = HEAD + """
            node: worker-1
            bundleDir: /var/lib/aod/b
            pollInterval: 50ms
            anomalies:
              - name: smb-slow
                policy: team-a
                type: latency
                protocol: smb
                mode: trackonly
                defaultThreshold: 20ms
                track: {SMB2_WRITE: 50ms, SMB2_READ: }
                minCount: 3
                window: 5s
                ceiling: 2s
                cooldown: 10m
                mounts: [{server: 10.0.0.5, share: data}]
                actions: [dmesg, debugdata]
              - name: nfs-errors
                type: error
                protocol: nfs
                layer: vfs
                mode: trackonly
                codes: [EIO, ETIMEDOUT]
                operations: [read, write]
                minCount: 2
                window: 30s
              - name: smb-hung
                type: hung
                protocol: smb
                after: 45s
                operations: [SMB2_READ]
              - name: nfs-session
                type: session
                protocol: nfs
                events: [retransmit]
                minCount: 5
                window: 2m
            capture:
              maxConcurrentBundles: 2
              actionTimeout: 20s
              kernelLogWindow: 15m
              flightRecorder: 30s
              ftrace: {enabled: false, bufferSizeKb: 1024, systems: [cifs], exclude: [cifs/smb3_cmd_*]}
              packetCapture: {enabled: true, ports: [445], rotateSize: 8MiB, rotateFiles: 3, snapLength: 256}
              verbose: {cifsFyi: true, rpcDebug: false, duration: 20s}
            retention: {interval: 30s, maxAge: 36h, maxTotalSize: 1GiB}
            upload:
              s3: {bucket: diag, prefix: aod, region: us-east-1, endpoint: "http://127.0.0.1:9000", pathStyle: true,
                   accessKeyIdFile: /etc/aod/s3/id, secretAccessKeyFile: /etc/aod/s3/secret}
            metrics: {address: 0.0.0.0, port: 9500}
            """;

    @Test
    void readsEverySetting() throws Exception {
        LoadedConfig loaded = ConfigLoader.parse(FULL, "test");
        AgentConfig c = loaded.config();

        assertThat(loaded.format()).isEqualTo(ConfigLoader.FORMAT_NATIVE);
        assertThat(c.node()).isEqualTo("worker-1");
        assertThat(c.bundleDir()).isEqualTo(Path.of("/var/lib/aod/b"));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(50));
        LatencySpec l = c.anomalies(LatencySpec.class).get(0);
        assertThat(l.thresholds()).containsExactly(Map.entry("SMB2_WRITE", Duration.ofMillis(50)),
                Map.entry("SMB2_READ", Duration.ofMillis(20)));
        assertThat(l.policy()).isEqualTo("team-a");
        assertThat(l.minCount()).isEqualTo(3);
        assertThat(l.ceiling()).isEqualTo(Duration.ofSeconds(2));
        assertThat(l.cooldown()).isEqualTo(Duration.ofMinutes(10));
        assertThat(l.mounts()).containsExactly(new MountFilter("10.0.0.5", "data"));
        ErrorSpec e = c.anomalies(ErrorSpec.class).get(0);
        assertThat(e.protocol()).isEqualTo(Protocol.NFS);
        assertThat(e.layer()).isEqualTo(Layer.VFS);
        assertThat(e.codes()).containsExactly("EIO", "ETIMEDOUT");
        assertThat(e.operations()).containsExactly("read", "write");
        assertThat(e.actions()).isEqualTo(ActionNames.defaultsFor(Protocol.NFS));
        HungSpec h = c.anomalies(HungSpec.class).get(0);
        assertThat(h.after()).isEqualTo(Duration.ofSeconds(45));
        SessionSpec s = c.anomalies(SessionSpec.class).get(0);
        assertThat(s.events()).containsExactly(SessionEvent.RETRANSMIT);
        assertThat(c.capture().packetCapture().rotateBytes()).isEqualTo(8L << 20);
        assertThat(c.capture().ftrace().systems()).containsExactly("cifs");
        assertThat(c.capture().ftrace().exclude()).containsExactly("cifs/smb3_cmd_*");
        assertThat(c.capture().verbose().cifsFyi()).isTrue();
        assertThat(c.retention().maxAge()).isEqualTo(Duration.ofHours(36));
        assertThat(c.retention().maxTotalBytes()).isEqualTo(1L << 30);
        assertThat(c.upload()).contains(new UploadTarget.S3("diag", "aod", "us-east-1", "http://127.0.0.1:9000", true,
                "/etc/aod/s3/id", "/etc/aod/s3/secret"));
        assertThat(c.metrics()).isEqualTo(new MetricsSettings("0.0.0.0", 9500));
    }

    @Test
    void defaultsFillWhatIsLeftOut() throws Exception {
        AgentConfig c = ConfigLoader.parse(HEAD + """
                anomalies:
                  - {name: s, type: session, protocol: smb}
                """, "t").config();

        assertThat(c.bundleDir()).isEqualTo(Path.of("/var/lib/aod/bundles"));
        assertThat(c.capture()).isEqualTo(CaptureSettings.DEFAULTS);
        assertThat(c.retention()).isEqualTo(RetentionSettings.DEFAULTS);
        assertThat(c.upload()).isEmpty();
        assertThat(c.anomalies(SessionSpec.class).get(0).events()).containsExactlyElementsOf(SessionEvent.of(Protocol.SMB));
    }

    @Test
    void theWriterRoundTrips() throws Exception {
        AgentConfig c = ConfigLoader.parse(FULL, "test").config();

        String yaml = ConfigWriter.toYaml(c);

        assertThat(ConfigLoader.parse(yaml, "written").config()).isEqualTo(c);
        assertThat(ConfigLoader.parse(ConfigWriter.toYaml(ConfigLoader.loadDefault().config()), "written").config())
                .isEqualTo(ConfigLoader.loadDefault().config());
    }

    @Test
    void everyBadValueIsNamedByItsPath() {
        assertInvalid(HEAD + """
                pollInterval: 100
                anomalies:
                  - name: Bad Name
                    type: latency
                    protocol: cifs
                  - name: x
                    type: latency
                    protocol: smb
                    track: {SMB2_WRTE: 5ms}
                    window: 5 seconds
                    mode: all
                  - name: x
                    type: hung
                    protocol: nfs
                    after: 10ms
                    minCount: 3
                  - name: y
                    type: session
                    protocol: nfs
                    events: [reconnect]
                capture: {maxConcurrentBundles: 0, packetCapture: {rotateSize: lots}, ftrace: {exclude: [svc_xprt_*]}}
                upload: {directory: {path: /d}, s3: {bucket: b}}
                """,
                "pollInterval: must be a duration such as 250ms, 5s, 10m, 2h or 2d (got 100)",
                "anomalies[0].name: must be lower-case letters",
                "anomalies[0].protocol: must be one of smb, nfs",
                "anomalies[1].track.SMB2_WRTE: SMB2_WRTE is not a known SMB2 command; did you mean SMB2_WRITE?",
                "anomalies[1].window: must be a duration",
                "anomalies[2].name: is used by another anomaly",
                "anomalies[2].after: must be between 1s and 1d",
                "anomalies[2].minCount: unknown key",
                "anomalies[3].events[0]: must be one of retransmit, rpc_timeout",
                "capture.maxConcurrentBundles: must be between 1 and 16 (got 0)",
                "capture.packetCapture.rotateSize: must be a size such as 512KiB, 200MiB or 1GiB (got \"lots\")",
                "capture.ftrace.exclude[0]: must be <system>/<event>, the event a name or a glob (sunrpc/svc*) (got \"svc_xprt_*\")",
                "upload: needs exactly one of directory, azureBlob, s3 (got directory and s3)");
    }

    @Test
    void theHeaderIsChecked() {
        assertInvalid("apiVersion: aod.dev/v2\nkind: Agent\noutputDir: x\n",
                "apiVersion: must be one of aod.dev/v1alpha1", "kind: must be one of AgentConfig",
                "outputDir: must be an absolute path");
        assertInvalid("outputDir: /x\n", "apiVersion: is required", "kind: is required");
    }

    @Test
    void uploadTargetsAreValidated() {
        assertInvalid(HEAD + "upload: {azureBlob: {container: Bad_Name, sasTokenFile: /s, connectionStringFile: /c}}\n",
                "upload.azureBlob: takes either connectionStringFile or sasTokenFile, not both",
                "upload.azureBlob.container: is not a valid container name");
        assertInvalid(HEAD + "upload: {s3: {bucket: b, accessKeyIdFile: /k}}\n",
                "upload.s3: needs both accessKeyIdFile and secretAccessKeyFile, or neither");
        assertInvalid(HEAD + "upload: {azureBlob: {container: logs}}\n",
                "upload.azureBlob.accountUrl: is required unless connectionStringFile is given");
    }

    @Test
    void uploadValuesAreCheckedAndNamed() {
        assertInvalid(HEAD + "upload: {s3: {bucket: Diag_Bucket, region: US East, endpoint: \"ftp://x\", prefix: /abs}}\n",
                "upload.s3.bucket: is not a valid bucket name",
                "upload.s3.region: must be a region name such as us-east-1 (got \"US East\")",
                "upload.s3.endpoint: must be an http(s) URL of the service",
                "upload.s3.prefix: must be a relative path of letters, digits");
        assertInvalid(HEAD + "upload: {directory: {path: /mnt/aod, prefix: a/../b}}\n",
                "upload.directory.prefix: must be a relative path of letters, digits, '.', '-' and '_' such as aod or diag/aod (got \"a/../b\")");
        assertInvalid(HEAD + "upload: {azureBlob: {accountUrl: not-a-url, container: logs}}\n",
                "upload.azureBlob.accountUrl: must be an http(s) URL such as https://ACCOUNT.blob.core.windows.net");
    }

    @Test
    void credentialsInUrlsAreRefusedWithoutBeingEchoed() {
        String sas = "sv=2022-11-02&ss=b&srt=co&sp=rwlac&se=2030-01-01T00:00:00Z&spr=https&sig=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";
        String yaml = HEAD + "upload: {azureBlob: {accountUrl: \"https://acct.blob.core.windows.net/?" + sas
                + "\", container: logs}}\n";
        assertInvalid(yaml, "upload.azureBlob: accountUrl must not carry credentials");
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "test")).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.errors().toString()).doesNotContain("c2VjcmV0"));
        String s3 = HEAD + "upload: {s3: {bucket: diag, endpoint: \"http://AKIAEXAMPLE:topsecretkeytopsecretkeytopsecretkeytopsecretkey@127.0.0.1:9000\"}}\n";
        assertInvalid(s3, "upload.s3: endpoint must not carry credentials");
        assertThatThrownBy(() -> ConfigLoader.parse(s3, "test")).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.errors().toString()).doesNotContain("topsecret"));
    }

    @Test
    void uploadTargetsRoundTripThroughTheWriter() throws Exception {
        for (String upload : List.of(
                "{directory: {path: /mnt/aod, prefix: \"\"}}",
                "{azureBlob: {accountUrl: \"http://127.0.0.1:10000/devstoreaccount1\", container: bundles, prefix: diag/aod, sasTokenFile: /etc/aod/azure/sas}}",
                "{azureBlob: {container: bundles, connectionStringFile: /etc/aod/azure/connection-string}}",
                "{s3: {bucket: diag.bundles, region: eu-west-1}}")) {
            AgentConfig c = ConfigLoader.parse(HEAD + "upload: " + upload + "\n", "t").config();

            assertThat(ConfigLoader.parse(ConfigWriter.toYaml(c), "written").config().upload()).isEqualTo(c.upload());
        }
    }

    private static void assertInvalid(String yaml, String... expectedPrefixes) {
        ThrowableAssert.ThrowingCallable load = () -> ConfigLoader.parse(yaml, "test");
        assertThatThrownBy(load).isInstanceOfSatisfying(InvalidConfigException.class, e -> {
            List<String> shown = e.errors().stream().map(ConfigError::toString).toList();
            for (String expected : expectedPrefixes) {
                assertThat(shown).as("errors").anySatisfy(s -> assertThat(s).startsWith(expected));
            }
        });
    }
}
