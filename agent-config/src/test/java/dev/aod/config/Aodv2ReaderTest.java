package dev.aod.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aod.protocol.Layer;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SmbCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

class Aodv2ReaderTest {
    private static final String HEAD = "watch_interval_sec: 2\naod_output_dir: /var/log/aod\n";

    @Test
    void readsAodv2sShippedConfigUnchanged() {
        LoadedConfig loaded = ConfigLoader.loadDefault();

        AgentConfig c = loaded.config();
        assertThat(c.outputDir()).isEqualTo(Path.of("/var/log/aod"));
        assertThat(c.bundleDir()).isEqualTo(Path.of("/var/log/aod/batches"));
        LatencySpec latency = c.anomalies(LatencySpec.class).get(0);
        assertThat(latency.name()).isEqualTo("latency");
        assertThat(latency.thresholds()).hasSize(SmbCommand.values().length)
                .containsEntry("SMB2_WRITE", Duration.ofMillis(50))
                .containsEntry("SMB2_READ", Duration.ofMillis(20));
        assertThat(latency.protocol()).isEqualTo(Protocol.SMB);
        assertThat(latency.layer()).isEqualTo(Layer.WIRE);
        assertThat(latency.minCount()).isEqualTo(10);
        assertThat(latency.window()).isEqualTo(Duration.ofSeconds(1));
        assertThat(latency.ceiling()).isEqualTo(Duration.ofSeconds(1));
        assertThat(latency.actions()).containsExactly("dmesg", "journalctl", "debugdata", "stats", "mounts", "smbinfo", "syslogs");
        ErrorSpec error = c.anomalies(ErrorSpec.class).get(0);
        assertThat(error.codes()).containsExactly("EACCES", "EAGAIN", "EIO");
        assertThat(error.excludeCodes()).isFalse();
        assertThat(error.minCount()).isEqualTo(10);
        assertThat(c.retention().maxAge()).isEqualTo(Duration.ofDays(2));
        assertThat(c.retention().maxTotalBytes()).isEqualTo(512 * 1024);
        assertThat(c.retention().interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(loaded.format()).isEqualTo(ConfigLoader.FORMAT_AODV2);
        assertThat(loaded.notices())
                .anySatisfy(n -> assertThat(n).startsWith("watcher.actions: parsed by AODv2 but never used"))
                .anySatisfy(n -> assertThat(n).startsWith("audit: parsed by AODv2 but never used"));
    }

    @Test
    void trackonlyWatchesOnlyTheListedCommandsWithTheDefaultWhereNoThresholdIsGiven() throws Exception {
        LatencySpec a = latency("""
                  mode: trackonly
                  default_threshold_ms: 15
                  track_commands:
                    - command: SMB2_WRITE
                      threshold: 100.5
                    - command: SMB2_READ
                """);

        assertThat(a.thresholds()).containsOnly(
                java.util.Map.entry("SMB2_WRITE", Duration.ofNanos(100_500_000)),
                java.util.Map.entry("SMB2_READ", Duration.ofMillis(15)));
        assertThat(a.window()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void excludeonlyWatchesEveryOtherCommandAtTheDefault() throws Exception {
        LatencySpec a = latency("""
                  mode: excludeonly
                  exclude_commands: [SMB2_CREATE, SMB2_READ]
                """);

        assertThat(a.thresholds()).hasSize(SmbCommand.values().length - 2)
                .doesNotContainKeys("SMB2_CREATE", "SMB2_READ")
                .containsEntry("SMB2_WRITE", Duration.ofMillis(10));
    }

    @Test
    void allOverridesListedCommandsAndDropsExcludedOnes() throws Exception {
        LatencySpec a = latency("""
                  default_threshold_ms: 30
                  track_commands: [{command: "SMB2_WRITE", threshold: 70}]
                  exclude_commands: [SMB2_CREATE]
                """);

        assertThat(a.thresholds()).hasSize(SmbCommand.values().length - 1)
                .containsEntry("SMB2_WRITE", Duration.ofMillis(70))
                .containsEntry("SMB2_READ", Duration.ofMillis(30))
                .doesNotContainKey("SMB2_CREATE");
    }

    @Test
    void anUnknownModeIsAnErrorNotSilentlyAll() {
        assertInvalid(() -> latency("  mode: sometimes\n"),
                "guardian.anomalies.latency.mode: must be one of all, trackonly, excludeonly (got \"sometimes\")");
    }

    @Test
    void aStringIntervalIsAnError() {
        assertInvalid(() -> ConfigLoader.parse("watch_interval_sec: \"5\"\naod_output_dir: /x\n", "t"),
                "watch_interval_sec: must be a whole number (got \"5\")");
    }

    @Test
    void aCommandInBothListsIsAnError() {
        assertInvalid(() -> latency("""
                  track_commands: [{command: SMB2_WRITE}]
                  exclude_commands: [SMB2_WRITE]
                """), "guardian.anomalies.latency.exclude_commands: SMB2_WRITE is in both track_commands and exclude_commands (got [\"SMB2_WRITE\"])");
    }

    @Test
    void aModeThatLeavesNothingToWatchIsAnError() {
        assertInvalid(() -> latency("  mode: trackonly\n"),
                "guardian.anomalies.latency.mode: leaves no SMB2 command to watch in mode trackonly (got \"trackonly\")");
    }

    @Test
    void misspelledKeysAndCommandsAreNamedWithASuggestion() {
        assertInvalid(() -> latency("""
                  acceptable_cont: 3
                  track_commands: [{command: SMB2_WRTE}]
                """),
                "guardian.anomalies.latency.acceptable_cont: unknown key; did you mean acceptable_count? (known: type, tool, mode, acceptable_count, default_threshold_ms, track_commands, exclude_commands, track_codes, exclude_codes, actions)",
                "guardian.anomalies.latency.track_commands[0].command: SMB2_WRTE is not a known SMB2 command; did you mean SMB2_WRITE?");
    }

    @Test
    void requiredKeysAreNamed() {
        assertInvalid(() -> ConfigLoader.parse("guardian: {anomalies: {slow: {type: Latency}}}\n", "t"),
                "watch_interval_sec: is required", "aod_output_dir: is required",
                "guardian.anomalies.slow.acceptable_count: is required");
    }

    @Test
    void keysOfTheOtherTypeAndMismatchedToolsAreErrors() {
        assertInvalid(() -> ConfigLoader.parse(HEAD + """
                guardian:
                  anomalies:
                    e:
                      type: error
                      tool: smbslower
                      acceptable_count: 1
                      track_codes: [EIO]
                      default_threshold_ms: 5
                """, "t"),
                "guardian.anomalies.e.tool: is not a tool for type Error (got \"smbslower\")",
                "guardian.anomalies.e.default_threshold_ms: applies only to type Latency (got 5)");
    }

    @Test
    void errorCodesMustBeErrnoNames() {
        assertInvalid(() -> ConfigLoader.parse(HEAD + """
                guardian:
                  anomalies:
                    e: {type: Error, mode: trackonly, acceptable_count: 1, track_codes: [EACCES, EFOO], exclude_codes: [EACCES]}
                """, "t"),
                "guardian.anomalies.e.track_codes[1]: is not an errno name",
                "guardian.anomalies.e.exclude_codes: EACCES is in both track_codes and exclude_codes");
    }

    @Test
    void aRelativeOutputDirectoryIsAnError() {
        assertInvalid(() -> ConfigLoader.parse("watch_interval_sec: 1\naod_output_dir: logs\n", "t"),
                "aod_output_dir: must be an absolute path (got \"logs\")");
    }

    @Test
    void duplicateKeysAndBrokenYamlAreErrorsWithTheirLine() {
        assertInvalid(() -> ConfigLoader.parse("watch_interval_sec: 1\nwatch_interval_sec: 2\n", "t"),
                "(file): is not valid YAML: Duplicate field 'watch_interval_sec' at line 2");
        assertInvalid(() -> ConfigLoader.parse("a: [1, 2\n", "t"), "(file): is not valid YAML");
        assertInvalid(() -> ConfigLoader.parse("", "t"), "(file): is empty");
    }

    @Test
    void aMissingFileIsNamed() {
        assertInvalid(() -> ConfigLoader.load(Path.of("/nonexistent/config.yaml")), "(file): does not exist");
    }

    @Test
    void eachToolWatchesItsProtocolAndLayer() throws Exception {
        AgentConfig c = ConfigLoader.parse(HEAD + """
                guardian:
                  anomalies:
                    nfs: {type: Latency, tool: nfsslower, acceptable_count: 1, track_commands: [{command: read, threshold: 5}], mode: trackonly}
                    vfs: {type: Error, tool: smbvfsiosnoop, acceptable_count: 2, exclude_codes: [ENOENT]}
                """, "t").config();

        LatencySpec nfs = c.anomalies(LatencySpec.class).get(0);
        assertThat(nfs.protocol()).isEqualTo(Protocol.NFS);
        assertThat(nfs.layer()).isEqualTo(Layer.VFS);
        assertThat(nfs.thresholds()).containsOnly(java.util.Map.entry("read", Duration.ofMillis(5)));
        ErrorSpec vfs = c.anomalies(ErrorSpec.class).get(0);
        assertThat(vfs.layer()).isEqualTo(Layer.VFS);
        assertThat(vfs.excludeCodes()).isTrue();
        assertThat(vfs.counts("EIO")).isTrue();
        assertThat(vfs.counts("ENOENT")).isFalse();
    }

    private static LatencySpec latency(String body) throws InvalidConfigException {
        LoadedConfig loaded = ConfigLoader.parse(HEAD + """
                guardian:
                  anomalies:
                    latency:
                      type: Latency
                      acceptable_count: 3
                """ + body.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n"), "test");
        return loaded.config().anomalies(LatencySpec.class).get(0);
    }

    private static void assertInvalid(ThrowableAssert.ThrowingCallable load, String... expectedPrefixes) {
        assertThatThrownBy(load).isInstanceOfSatisfying(InvalidConfigException.class, e -> {
            List<String> shown = e.errors().stream().map(ConfigError::toString).toList();
            for (String expected : expectedPrefixes) {
                assertThat(shown).as("errors").anySatisfy(s -> assertThat(s).startsWith(expected));
            }
        });
    }
}
