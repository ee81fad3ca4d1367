package dev.aod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.agent.bundle.BundleReader;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.ActionResult;
import dev.aod.agent.capture.VerboseSwitches;
import dev.aod.e2e.guest.GuestVm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on a real SMB client: a slowed share gives one bundle whose evidence comes
 * from the guest kernel — the flight recorder's probe events, the ftrace window of the cifs trace
 * system, the packets on port 445, the verbose cifsFYI log (switched back off afterwards) and every
 * /proc snapshot — with each file's sha256 in the manifest.
 */
class PipelineE2E {
    private static final Logger log = LoggerFactory.getLogger(PipelineE2E.class);
    private static GuestVm guest;

    @BeforeAll
    static void boot() throws Exception {
        guest = GuestAgent.bootWithAgent("pipeline");
    }

    @AfterAll
    static void powerOff() {
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    void aSlowShareGivesABundleWithEveryKindOfEvidence() throws Exception {
        String config = """
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                outputDir: %s
                capture:
                  flightRecorder: 60s
                  ftrace: {enabled: true, bufferSizeKb: 1024, systems: [cifs]}
                  packetCapture: {enabled: true, ports: [445], rotateSize: 4MiB, rotateFiles: 2, snapLength: 256}
                  verbose: {cifsFyi: true, duration: 3s}
                anomalies:
                  - name: io-latency
                    type: latency
                    protocol: smb
                    mode: trackonly
                    track: {SMB2_WRITE: 100ms, SMB2_READ: 100ms}
                    minCount: 3
                    window: 10s
                    actions: [sysinfo, dmesg, journalctl, debugdata, stats, open_files, mounts, smbinfo, ss,
                              blocked_stacks, flight_recorder, ftrace, pcap, verbose_log]
                """.formatted(GuestAgent.outputDir("pipeline"));
        try (GuestAgent agent = GuestAgent.start(guest, "pipeline", config, Duration.ofMinutes(3))) {
            assertThat(agent.log()).contains("probe smb-wire: attached", "ftrace: recording trace system cifs");
            guest.run("tc qdisc add dev lo root netem delay 150ms", Duration.ofSeconds(30));
            try {
                guest.run("""
                        for i in 1 2 3; do
                            dd if=/dev/zero of=/mnt/smb/pipeline-$i bs=64k count=6 oflag=direct status=none &
                        done
                        wait
                        """, Duration.ofMinutes(5));
            } finally {
                guest.run("tc qdisc del dev lo root", Duration.ofSeconds(30));
            }
            Path bundle = agent.awaitBundle(Duration.ofMinutes(3));
            Manifest m = BundleReader.manifest(bundle);
            Map<String, byte[]> files = BundleReader.files(bundle);

            for (ActionResult a : m.actions()) {
                log.info("action {} {} {} bytes in {} ms{}", a.name(), a.status(), a.bytes(), a.durationMs(),
                        a.error() == null ? "" : " (" + a.error() + ")");
            }
            assertThat(m.anomaly().operation()).isEqualTo("SMB2_WRITE");
            // smbinfo talks to the share this test slows down, so under TCG on a loaded machine it may run
            // out of time; what it wrote before the timeout must still be in the bundle.
            assertThat(m.actions()).filteredOn(a -> !a.name().equals("journalctl") && !a.name().equals("smbinfo"))
                    .allSatisfy(a -> assertThat(a.status()).as(a.name() + ": " + a.error()).isEqualTo(ActionResult.Status.OK));
            assertThat(m.actions()).filteredOn(a -> a.name().equals("smbinfo")).singleElement()
                    .satisfies(a -> assertThat(a.status()).isIn(ActionResult.Status.OK, ActionResult.Status.TIMED_OUT))
                    .satisfies(a -> assertThat(a.bytes()).isPositive());
            assertThat(text(files, "flight-recorder.jsonl").lines())
                    .anySatisfy(l -> assertThat(l).contains("\"operation\":\"SMB2_WRITE\"", "\"comm\":\"dd\""));
            assertThat(text(files, "ftrace.txt")).contains("smb3_cmd_enter", "smb3_cmd_done");
            assertThat(files.keySet()).anySatisfy(f -> assertThat(f).startsWith("pcap/aod.pcap"));
            String verboseWindow = text(files, "verbose-kernel-log.txt");
            assertThat(verboseWindow.lines().findFirst()).get().asString().contains(VerboseSwitches.ON_MARK);
            assertThat(verboseWindow).as("cifsFYI lines (the source file first), of the window only")
                    .containsPattern("[\\w/]+\\.c: ").doesNotContain("Linux version");
            assertThat(guest.run("cat /proc/fs/cifs/cifsFYI", Duration.ofSeconds(30)).strip())
                    .as("cifsFYI switched back off").isEqualTo("0");
            assertThat(guest.run("grep -c '\\[cifs\\].* =p' /proc/dynamic_debug/control || true", Duration.ofSeconds(30)).strip())
                    .as("cifs's dynamic debug sites switched back off").isEqualTo("0");
            assertThat(text(files, "sysinfo.txt")).contains("== module cifs", "Debian");
            assertThat(text(files, "cifs/smbinfo.txt")).contains("/mnt/smb").doesNotContain("Usage:");
            assertThat(text(files, "ss.txt")).contains(":445");
            assertThat(text(files, "summary.html")).contains("<svg");
            for (Manifest.FileInfo f : m.files()) {
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(files.get(f.path()))))
                        .as(f.path()).isEqualTo(f.sha256());
            }
            files.forEach((name, content) -> assertThat(new String(content, StandardCharsets.ISO_8859_1))
                    .as(name).doesNotContain("aodpass"));
        }
        assertThat(guest.run("ls /sys/kernel/tracing/instances", Duration.ofSeconds(30)))
                .as("the ftrace instance is removed at shutdown").doesNotContain("aod");
    }

    private static String text(Map<String, byte[]> files, String name) {
        assertThat(files).containsKey(name);
        return new String(files.get(name), StandardCharsets.UTF_8);
    }
}
