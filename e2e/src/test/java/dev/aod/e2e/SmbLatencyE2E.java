package dev.aod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.agent.bundle.BundleReader;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.ActionResult;
import dev.aod.e2e.guest.GuestVm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The walking skeleton on a real SMB client: the agent runs in a guest with Debian's 6.1 kernel
 * against a cifs mount of the guest's own samba over loopback. {@code tc netem} on lo makes the
 * share slow; the agent must write a bundle naming the slowed command, and stay quiet otherwise.
 */
class SmbLatencyE2E {
    private static final Logger log = LoggerFactory.getLogger(SmbLatencyE2E.class);
    private static final Duration AGENT_START = Duration.ofMinutes(3);
    private static final String WRITES = """
            for i in 1 2 3 4; do
                dd if=/dev/zero of=/mnt/smb/%1$s-$i bs=64k count=8 oflag=direct status=none &
            done
            wait
            rm -f /mnt/smb/%1$s-*
            """;

    private static GuestVm guest;

    @BeforeAll
    static void boot() throws Exception {
        guest = GuestAgent.bootWithAgent("smb-latency");
    }

    @AfterAll
    static void powerOff() {
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    void aSlowShareGivesABundleNamingTheSlowCommandWithItsLatency() throws Exception {
        try (GuestAgent agent = GuestAgent.start(guest, "slow", config("slow"), AGENT_START)) {
            assertThat(agent.log()).contains("probe smb-wire: attached (tracepoint)");
            long slowdownStarted = System.nanoTime();
            guest.run("tc qdisc add dev lo root netem delay 150ms", Duration.ofSeconds(30));
            try {
                guest.run(WRITES.formatted("slow"), Duration.ofMinutes(5));
            } finally {
                guest.run("tc qdisc del dev lo root", Duration.ofSeconds(30));
            }
            Path bundle = agent.awaitBundle(Duration.ofMinutes(2));
            log.info("bundle {} after {} ms from the slowdown", bundle.getFileName(),
                    (System.nanoTime() - slowdownStarted) / 1_000_000);

            Manifest m = BundleReader.manifest(bundle);
            assertThat(m.anomaly().kind()).isEqualTo("LATENCY");
            assertThat(m.anomaly().operation()).isEqualTo("SMB2_WRITE");
            assertThat(m.anomaly().thresholdMs()).isEqualTo(100.0);
            assertThat(m.anomaly().server()).as("the mount, told by the mount resolver").isEqualTo("127.0.0.1");
            assertThat(m.anomaly().share()).endsWith("share");
            assertThat(m.anomaly().observed().count()).isGreaterThanOrEqualTo(3);
            assertThat(m.anomaly().observed().maxLatencyMs()).isGreaterThan(100.0);
            assertThat(m.events()).isNotEmpty().allSatisfy(e -> {
                assertThat(e.operation()).isEqualTo("SMB2_WRITE");
                assertThat(e.latencyMs()).isGreaterThanOrEqualTo(100.0);
                assertThat(e.comm()).as("the task that issued the write, not cifsd").isEqualTo("dd");
            });
            assertThat(m.node().kernel()).isEqualTo(guest.kernelRelease());
            assertThat(m.actions()).extracting(ActionResult::name).containsExactly("dmesg", "debugdata", "stats");
            assertThat(m.actions()).allSatisfy(a -> assertThat(a.status()).isEqualTo(ActionResult.Status.OK));

            Map<String, byte[]> files = BundleReader.files(bundle);
            assertThat(files).containsKeys("manifest.json", "summary.txt", "dmesg.txt", "cifs/DebugData.txt",
                    "cifs/Stats.txt");
            files.forEach((name, content) -> assertThat(content).as(name).isNotEmpty());
            assertThat(new String(files.get("cifs/DebugData.txt"))).contains("\\\\127.0.0.1\\share");
        }
    }

    @Test
    void aHealthyShareGivesNoBundle() throws Exception {
        try (GuestAgent agent = GuestAgent.start(guest, "quiet", config("quiet"), AGENT_START)) {
            assertThat(agent.log()).contains("probe smb-wire: attached (tracepoint)");
            guest.run(WRITES.formatted("quiet"), Duration.ofMinutes(5));
            Thread.sleep(Duration.ofSeconds(10).toMillis());

            assertThat(agent.bundles()).isEmpty();
            assertThat(agent.log()).as("no anomaly detected, captured or bundled").doesNotContain("anomaly \"");
        }
    }

    private static String config(String caseName) {
        return """
                watch_interval_sec: 5
                aod_output_dir: %s
                guardian:
                  anomalies:
                    latency:
                      type: Latency
                      tool: smbslower
                      mode: trackonly
                      acceptable_count: 3
                      track_commands:
                        - command: SMB2_WRITE
                          threshold: 100
                        - command: SMB2_READ
                          threshold: 100
                      actions: [dmesg, debugdata, stats]
                """.formatted(GuestAgent.outputDir(caseName));
    }
}
