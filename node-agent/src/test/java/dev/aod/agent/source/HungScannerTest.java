package dev.aod.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.bpf.BpfMap;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventLayout;
import dev.aod.bpf.InflightLayout;
import dev.aod.config.AgentConfig;
import dev.aod.config.AnomalySpec;
import dev.aod.config.HungSpec;
import dev.aod.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HungScannerTest {
    private static final long S = 1_000_000_000L;
    private static final int SMB2_WRITE = 9;
    private static final int SMB2_CHANGE_NOTIFY = 15;
    private static final int SMB2_ECHO = 13;
    private static final int NFS4_READ = 1;

    private final FakeTable smb = new FakeTable();
    private final FakeTable nfs = new FakeTable();
    private final HungScanner scanner = new HungScanner(smb, nfs);

    @Test
    void aRequestOlderThanTheLimitIsReportedOnceWithItsAgeCommandAndIssuer() {
        scanner.configure(config(hung(Protocol.SMB, Duration.ofSeconds(5))));
        smb.put(smbKey(0x77, 41), smbValue(100 * S, SMB2_WRITE, 0x3, "dd"));

        assertThat(scanner.scan(104 * S)).isEmpty();
        List<Event> found = scanner.scan(106 * S);
        assertThat(found).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventLayout.KIND_HUNG);
            assertThat(e.source()).isEqualTo(EventLayout.SOURCE_SMB_WIRE);
            assertThat(e.latencyNs()).isEqualTo(6 * S);
            assertThat(e.tsNs()).isEqualTo(106 * S);
            assertThat(e.command()).isEqualTo(SMB2_WRITE);
            assertThat(e.sessionId()).isEqualTo(0x77);
            assertThat(e.requestId()).isEqualTo(41);
            assertThat(e.treeId()).isEqualTo(0x3);
            assertThat(e.comm()).isEqualTo("dd");
            assertThat(e.tgid()).isEqualTo(1234);
        });
        assertThat(scanner.scan(120 * S)).as("reported once").isEmpty();
    }

    @Test
    void withoutSmbMidRequestsOfSessionZeroAreNotWatchedSinceTheirEndIsNeverSeen() {
        scanner.configure(config(hung(Protocol.SMB, Duration.ofSeconds(5))));
        scanner.smbMidAttached(false);
        smb.put(smbKey(0, 42), smbValue(100 * S, SMB2_ECHO, 0, "kworker/0:2"));
        smb.put(smbKey(0x77, 43), smbValue(100 * S, SMB2_WRITE, 0x3, "dd"));

        assertThat(scanner.scan(106 * S)).extracting(Event::requestId).containsExactly(43L);

        scanner.smbMidAttached(true);
        assertThat(scanner.scan(107 * S)).extracting(Event::requestId).containsExactly(42L);
    }

    @Test
    void aReusedKeyIsANewRequest() {
        scanner.configure(config(hung(Protocol.NFS, Duration.ofSeconds(5))));
        nfs.put(task(0xa000), nfsValue(100 * S, NFS4_READ, 0x1234));
        assertThat(scanner.scan(106 * S)).hasSize(1);

        nfs.put(task(0xa000), nfsValue(110 * S, NFS4_READ, 0x1235));
        assertThat(scanner.scan(116 * S)).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo(EventLayout.SOURCE_NFS_RPC);
            assertThat(e.requestId()).isEqualTo(0x1235);
            assertThat(e.connId()).isEqualTo(7);
        });
    }

    @Test
    void onlyTheWatchedOperationsAndNeverAWaitingChangeNotifyUnlessNamed() {
        scanner.configure(config(hung(Protocol.SMB, Duration.ofSeconds(5))));
        smb.put(smbKey(1, 1), smbValue(0, SMB2_CHANGE_NOTIFY, 0, "watcher"));
        assertThat(scanner.scan(60 * S)).isEmpty();

        scanner.configure(config(new HungSpec("notify", "", Protocol.SMB, Duration.ofSeconds(5),
                Set.of("SMB2_CHANGE_NOTIFY"), Duration.ofMinutes(1), List.of(), List.of())));
        smb.put(smbKey(1, 2), smbValue(0, SMB2_WRITE, 0, "dd"));
        assertThat(scanner.scan(61 * S)).extracting(Event::command).containsExactly(SMB2_CHANGE_NOTIFY);
    }

    @Test
    void withoutAHungAnomalyNothingIsReportedButStaleEntriesGo() {
        scanner.configure(config());
        smb.put(smbKey(1, 1), smbValue(0, SMB2_WRITE, 0, "dd"));
        smb.put(smbKey(1, 2), smbValue(HungScanner.STALE.toNanos(), SMB2_WRITE, 0, "dd"));

        assertThat(scanner.scan(HungScanner.STALE.toNanos() + S)).isEmpty();
        assertThat(smb.entries()).hasSize(1);
        assertThat(scanner.limit(Protocol.SMB)).isNull();
    }

    @Test
    void theLowestLimitOfAProtocolAppliesAndSetsHowOftenToScan() {
        scanner.configure(config(hung(Protocol.SMB, Duration.ofSeconds(30)), hung(Protocol.SMB, Duration.ofSeconds(10))));

        assertThat(scanner.limit(Protocol.SMB)).isEqualTo(Duration.ofSeconds(10));
        assertThat(scanner.due(0)).isTrue();
        scanner.scan(0);
        assertThat(scanner.due(S / 2)).isFalse();
        assertThat(scanner.due(S)).isTrue();
    }

    private static HungSpec hung(Protocol protocol, Duration after) {
        return new HungSpec(protocol.name().toLowerCase() + "-hung-" + after.toSeconds(), "", protocol, after, Set.of(),
                Duration.ofMinutes(1), List.of(), List.of());
    }

    private static AgentConfig config(AnomalySpec... anomalies) {
        return new AgentConfig("", java.nio.file.Path.of("/tmp/aod"), java.nio.file.Path.of("/tmp/aod/bundles"),
                Duration.ofMillis(100), List.of(anomalies), null, null, java.util.Optional.empty(), null);
    }

    private static byte[] smbKey(long session, long mid) {
        return buffer(InflightLayout.SMB_KEY_SIZE).putLong(session).putLong(mid).array();
    }

    private static byte[] smbValue(long startNs, int command, int treeId, String comm) {
        ByteBuffer b = buffer(InflightLayout.SMB_SIZE);
        b.putLong(InflightLayout.SMB_START_NS, startNs);
        issuer(b, InflightLayout.SMB_WHO, comm);
        b.putInt(InflightLayout.SMB_TREE_ID, treeId);
        b.putShort(InflightLayout.SMB_COMMAND, (short) command);
        return b.array();
    }

    private static byte[] task(long address) {
        return buffer(8).putLong(address).array();
    }

    private static byte[] nfsValue(long startNs, int command, int xid) {
        ByteBuffer b = buffer(InflightLayout.NFS_SIZE);
        b.putLong(InflightLayout.NFS_START_NS, startNs);
        issuer(b, InflightLayout.NFS_WHO, "cat");
        b.putInt(InflightLayout.NFS_CLID, 7);
        b.putInt(InflightLayout.NFS_XID, xid);
        b.putShort(InflightLayout.NFS_COMMAND, (short) command);
        return b.array();
    }

    private static void issuer(ByteBuffer b, int offset, String comm) {
        b.putLong(offset + InflightLayout.ISSUER_CGROUP_ID, 99);
        b.putInt(offset + InflightLayout.ISSUER_TGID, 1234);
        b.putInt(offset + InflightLayout.ISSUER_PID, 1235);
        byte[] name = comm.getBytes(StandardCharsets.UTF_8);
        b.put(offset + InflightLayout.ISSUER_COMM, name);
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    private static final class FakeTable implements HungScanner.Table {
        private final List<BpfMap.Entry> entries = new ArrayList<>();

        void put(byte[] key, byte[] value) {
            entries.removeIf(e -> java.util.Arrays.equals(e.key(), key));
            entries.add(new BpfMap.Entry(key, value));
        }

        @Override
        public List<BpfMap.Entry> entries() {
            return List.copyOf(entries);
        }

        @Override
        public void delete(byte[] key) {
            entries.removeIf(e -> java.util.Arrays.equals(e.key(), key));
        }
    }
}
