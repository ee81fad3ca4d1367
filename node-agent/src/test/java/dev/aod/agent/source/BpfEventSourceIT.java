package dev.aod.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.aod.bpf.EventBatch;
import dev.aod.config.AgentConfig;
import dev.aod.config.AnomalySpec;
import dev.aod.config.HungSpec;
import dev.aod.config.LatencySpec;
import dev.aod.protocol.Layer;
import dev.aod.protocol.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source on the build machine's kernel, which has BPF but neither cifs nor nfs: every probe is
 * listed with its state and why, the shared maps load, and a kernel that claims a module whose
 * tracepoints it lacks gets a failed probe, not a silent one.
 */
class BpfEventSourceIT {

    @BeforeEach
    void rootWithBtf() {
        assumeTrue(new UnixSystem().getUid() == 0, "loading BPF needs root");
        assumeTrue(Files.exists(Path.of("/sys/kernel/btf/vmlinux")), "the host kernel has no BTF");
    }

    @Test
    void withoutTheModulesEveryProbeIsListedNotApplicableWithItsReason() {
        try (BpfEventSource source = new BpfEventSource(new Kernel(Set.of()), false)) {
            List<ProbeStatus> probes = source.start(config(vfsLatency(Protocol.SMB), hung(Protocol.NFS)));

            assertThat(probes).extracting(ProbeStatus::probe).containsExactly("smb-wire", "smb-mid", "smb-session",
                    "smb-vfs", "nfs-rpc", "nfs-session", "nfs-vfs", "smb-hung", "nfs-hung");
            assertThat(probes).filteredOn(p -> p.probe().startsWith("smb-") && !p.probe().equals("smb-hung"))
                    .allSatisfy(p -> assertThat(p.toString()).endsWith("not applicable — the cifs module is not "
                            + "loaded on this kernel"));
            assertThat(status(probes, "nfs-vfs").detail()).contains("no anomaly of the configuration watches NFS at "
                    + "the VFS layer");
            assertThat(status(probes, "smb-hung").detail()).isEqualTo("no hung anomaly of the configuration watches SMB");
            assertThat(status(probes, "nfs-hung").detail()).contains("scans the requests in flight of nfs-rpc, which is "
                    + "not attached");
            assertThat(source.drops()).containsEntry("smb-wire.ringbuf_full", 0L).containsEntry("nfs-vfs.inflight_full", 0L)
                    .hasSize(14);
            assertThat(source.poll(new EventBatch(16))).isZero();
        }
    }

    @Test
    void aModuleWithoutItsTracepointsFailsItsProbesAndSaysWhy() {
        try (BpfEventSource source = new BpfEventSource(new Kernel(Set.of("cifs")), false)) {
            List<ProbeStatus> probes = source.start(config());

            assertThat(status(probes, "smb-wire").state()).isEqualTo(ProbeStatus.State.FAILED);
            assertThat(status(probes, "smb-wire").detail()).contains("cifs/smb3_cmd_enter (tracepoint missing)");
            assertThat(status(probes, "smb-mid").detail()).contains("completes the requests of smb-wire, which is not "
                    + "attached");
            assertThat(status(probes, "smb-session").state()).isEqualTo(ProbeStatus.State.FAILED);
            assertThat(status(probes, "smb-session").detail()).startsWith("nothing to attach");
        }
    }

    @Test
    void aModuleLoadedLaterIsPickedUpByRefreshAndAReconfigurationKeepsTheSource() {
        Kernel kernel = new Kernel(Set.of());
        try (BpfEventSource source = new BpfEventSource(kernel, false)) {
            source.start(config());
            kernel.modules = Set.of("nfs");
            List<ProbeStatus> refreshed = source.refresh();
            assertThat(status(refreshed, "nfs-rpc").state()).as("tried, and failed for lack of tracepoints")
                    .isEqualTo(ProbeStatus.State.FAILED);

            List<ProbeStatus> again = source.start(config(vfsLatency(Protocol.NFS)));
            assertThat(status(again, "nfs-rpc")).isEqualTo(status(refreshed, "nfs-rpc"));
            assertThat(status(again, "nfs-vfs").state()).as("wanted now, and tried").isEqualTo(ProbeStatus.State.FAILED);
        }
    }

    @Test
    void thresholdsAreTheLowestOfEveryAnomalyCappedAtItsCeilingPerSource() {
        LatencySpec slowWrites = new LatencySpec("a", "", Protocol.SMB, Layer.WIRE,
                Map.of("SMB2_WRITE", Duration.ofMillis(50), "SMB2_READ", Duration.ofSeconds(5)), 1, Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofMinutes(1), List.of(), List.of());
        LatencySpec nfsRead = new LatencySpec("b", "", Protocol.NFS, Layer.WIRE, Map.of("READ", Duration.ofMillis(20)),
                1, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1), List.of(), List.of());
        long[][] t = BpfEventSource.thresholds(config(slowWrites, nfsRead, vfsLatency(Protocol.SMB)));

        assertThat(t[1][9]).isEqualTo(50_000_000L);
        assertThat(t[1][8]).as("capped at the ceiling").isEqualTo(1_000_000_000L);
        assertThat(t[1][5]).isEqualTo(-1L);
        assertThat(t[3][1]).as("NFSv4 READ").isEqualTo(20_000_000L);
        assertThat(t[3][128 + 6]).as("NFSv3 READ").isEqualTo(20_000_000L);
        assertThat(t[2][5]).as("SMB VFS fsync").isEqualTo(200_000_000L);
        assertThat(t[4][5]).isEqualTo(-1L);
    }

    private static ProbeStatus status(List<ProbeStatus> probes, String name) {
        return probes.stream().filter(p -> p.probe().equals(name)).findFirst().orElseThrow();
    }

    static LatencySpec vfsLatency(Protocol protocol) {
        return new LatencySpec(protocol.name().toLowerCase() + "-vfs", "", protocol, Layer.VFS,
                Map.of("read", Duration.ofMillis(200), "fsync", Duration.ofMillis(200)), 1, Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofMinutes(1), List.of(), List.of());
    }

    static HungSpec hung(Protocol protocol) {
        return new HungSpec(protocol.name().toLowerCase() + "-hung", "", protocol, Duration.ofSeconds(5), Set.of(),
                Duration.ofMinutes(1), List.of(), List.of());
    }

    static AgentConfig config(AnomalySpec... anomalies) {
        return new AgentConfig("", Path.of("/tmp/aod"), Path.of("/tmp/aod/bundles"), Duration.ofMillis(100),
                List.of(anomalies), null, null, Optional.empty(), null);
    }

    /** A kernel with the given modules loaded and none of their tracepoints or functions. */
    private static final class Kernel extends KernelFacts {
        volatile Set<String> modules;

        Kernel(Set<String> modules) {
            super(Path.of("/proc"), Path.of("/nonexistent"));
            this.modules = modules;
        }

        @Override
        public boolean hasModule(String module) {
            return modules.contains(module);
        }

        @Override
        public boolean hasTracepoint(String systemAndEvent) {
            return false;
        }

        @Override
        public synchronized boolean hasFunction(String module, String function) {
            return false;
        }
    }
}
