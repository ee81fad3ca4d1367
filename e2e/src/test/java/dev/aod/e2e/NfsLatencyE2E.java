package dev.aod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.agent.bundle.BundleReader;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.ActionResult;
import dev.aod.e2e.guest.GuestVm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline on a real NFSv4 client: the guest's knfsd export, mounted over loopback and slowed
 * with {@code tc netem}, must give a bundle that names the NFS procedure and the mount (server and
 * export, told by the mount resolver) and carries the NFS evidence.
 */
class NfsLatencyE2E {
    private static final Logger log = LoggerFactory.getLogger(NfsLatencyE2E.class);

    private static GuestVm guest;

    @BeforeAll
    static void boot() throws Exception {
        guest = GuestAgent.bootWithAgent("nfs-latency");
    }

    @AfterAll
    static void powerOff() {
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    void aSlowExportGivesABundleNamingTheProcedureAndTheMount() throws Exception {
        String config = """
                apiVersion: aod.dev/v1alpha1
                kind: AgentConfig
                outputDir: %s
                capture: {ftrace: {enabled: false}}
                anomalies:
                  - name: slow-nfs
                    type: latency
                    protocol: nfs
                    mode: trackonly
                    track: {WRITE: 100ms, COMMIT: 100ms}
                    minCount: 3
                    window: 10s
                    actions: [mountstats, nfsstat, rpc_clients, dmesg]
                """.formatted(GuestAgent.outputDir("nfs"));
        try (GuestAgent agent = GuestAgent.start(guest, "nfs", config, Duration.ofMinutes(3))) {
            assertThat(agent.log()).contains("probe nfs-rpc: attached");
            long slowdownStarted = System.nanoTime();
            guest.run("tc qdisc add dev lo root netem delay 150ms", Duration.ofSeconds(30));
            try {
                guest.run("""
                        for i in 1 2 3; do
                            dd if=/dev/zero of=/mnt/nfs/slow-$i bs=64k count=4 oflag=direct status=none &
                        done
                        wait
                        rm -f /mnt/nfs/slow-*
                        """, Duration.ofMinutes(5));
            } finally {
                guest.run("tc qdisc del dev lo root", Duration.ofSeconds(30));
            }
            Path bundle = agent.awaitBundle(Duration.ofMinutes(2));
            log.info("bundle {} after {} ms from the slowdown", bundle.getFileName(),
                    (System.nanoTime() - slowdownStarted) / 1_000_000);

            Manifest m = BundleReader.manifest(bundle);
            assertThat(m.anomaly().kind()).isEqualTo("LATENCY");
            assertThat(m.anomaly().protocol()).isEqualTo("NFS");
            assertThat(m.anomaly().operation()).isIn("WRITE", "COMMIT");
            assertThat(m.anomaly().server()).isEqualTo("127.0.0.1");
            assertThat(m.anomaly().share()).isEqualTo("/srv/nfs");
            assertThat(m.events()).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.latencyMs()).isGreaterThanOrEqualTo(100.0))
                    .anySatisfy(e -> assertThat(e.comm()).as("the task that issued the write").isEqualTo("dd"));
            assertThat(m.actions()).allSatisfy(a -> assertThat(a.status()).as(a.name() + ": " + a.error())
                    .isEqualTo(ActionResult.Status.OK));
            Map<String, byte[]> files = BundleReader.files(bundle);
            assertThat(new String(files.get("nfs/mountstats.txt"), StandardCharsets.UTF_8))
                    .contains("mounted on /mnt/nfs with fstype nfs4", "WRITE:");
            assertThat(new String(files.get("nfs/nfsstat.txt"), StandardCharsets.UTF_8)).contains("nfs v4");
        }
    }
}
