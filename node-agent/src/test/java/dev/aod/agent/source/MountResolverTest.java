package dev.aod.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.agent.source.MountResolver.MountRef;
import dev.aod.bpf.EventLayout;
import dev.aod.protocol.Protocol;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against files captured in the e2e guest: /proc/fs/cifs/DebugData with two connections to one
 * share, /proc/self/mountinfo with that share mounted four times (cache=strict, loose, none and an
 * echo_interval=2 mount) and NFS 4.2 and 3 mounts of one export, and the sunrpc debugfs clients.
 */
class MountResolverTest {
    private static final long SESSION = 0x94a70cf2L;
    private static final int SHARE_TID = 0xc5a8012e;
    private static final int IPC_TID = 0x4e6ebe09;
    private static final int NFS4_DEV = 34;
    private static final int NFS3_DEV = 35;

    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(10_000_000_000L);
    private MountResolver resolver;

    @BeforeEach
    void copyFixture() throws IOException, URISyntaxException {
        Path fixture = Path.of(MountResolverTest.class.getResource("guest").toURI());
        try (var files = Files.walk(fixture)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(fixture.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        resolver = new MountResolver(dir.resolve("DebugData"), dir.resolve("mountinfo"), dir.resolve("sunrpc"), now::get);
    }

    @Test
    void aVfsEventsDevIsItsMount() {
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_VFS, 0, 0, 0, 32))
                .isEqualTo(new MountRef(Protocol.SMB, "127.0.0.1", "share", "/mnt/smb-loose"));
        assertThat(resolver.resolve(EventLayout.SOURCE_NFS_VFS, 0, 0, 0, NFS3_DEV))
                .isEqualTo(new MountRef(Protocol.NFS, "127.0.0.1", "/srv/nfs", "/mnt/nfs3"));
    }

    @Test
    void anSmbWireEventsSessionAndTreeAreItsShareWhichIsMountedSeveralTimes() {
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_WIRE, SESSION, 1, SHARE_TID, 0))
                .isEqualTo(new MountRef(Protocol.SMB, "127.0.0.1", "share", ""));
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_WIRE, SESSION, 1, IPC_TID, 0).share()).isEqualTo("IPC$");
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_WIRE, 0x414ec3a0L, 2, 0xa415ba6e, 0).share())
                .isEqualTo("share");
    }

    @Test
    void sessionLevelCommandsAndSessionEventsGetTheServer() {
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_WIRE, SESSION, 1, 0, 0))
                .isEqualTo(new MountRef(Protocol.SMB, "127.0.0.1", "", ""));
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_WIRE, 0, 2, 0, 0).server()).isEqualTo("127.0.0.1");
    }

    @Test
    void anNfsRpcEventsMountFromItsDevElseItsClientsServer() {
        assertThat(resolver.resolve(EventLayout.SOURCE_NFS_RPC, 0, 7, 0, NFS4_DEV))
                .isEqualTo(new MountRef(Protocol.NFS, "127.0.0.1", "/srv/nfs", "/mnt/nfs"));
        assertThat(resolver.resolve(EventLayout.SOURCE_NFS_RPC, 0, 7, 0, 0))
                .as("two NFS mounts of that server: no mount point")
                .isEqualTo(new MountRef(Protocol.NFS, "127.0.0.1", "", ""));
    }

    @Test
    void aSingleNfsMountOfTheClientsServerIsTheMount() throws IOException {
        Path info = dir.resolve("mountinfo");
        Files.write(info, Files.readAllLines(info).stream().filter(l -> !l.contains("/mnt/nfs3")).toList());

        assertThat(resolver.resolve(EventLayout.SOURCE_NFS_RPC, 0, 7, 0, 0).mountPoint()).isEqualTo("/mnt/nfs");
    }

    @Test
    void aMissReadsTheKernelsFilesAgainButNotMoreThanOncePerSecond() throws IOException {
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_WIRE, 0x5eedL, 3, 7, 0).isKnown()).isFalse();
        Files.writeString(dir.resolve("DebugData"), """
                1) ConnectionId: 0x3 Hostname: files.example
                \tSecurity type: RawNTLMSSP  SessionId: 0x5eed
                \t1) \\\\files.example\\data Mounts: 1 DevInfo: 0x20 Attributes: 0x1006f
                \ttid: 0x7\tMaximal Access: 0x1f01ff
                """);
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_WIRE, 0x5eedL, 3, 7, 0).isKnown())
                .as("within a second of the last read").isFalse();

        now.addAndGet(MountResolver.REREAD_INTERVAL_NS);
        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_WIRE, 0x5eedL, 3, 7, 0))
                .isEqualTo(new MountRef(Protocol.SMB, "files.example", "data", ""));
    }

    @Test
    void mountPointsWithSpacesAreUnescaped() throws IOException {
        Files.writeString(dir.resolve("mountinfo"),
                "50 25 0:40 / /mnt/my\\040share rw,relatime - cifs //srv/data rw,vers=3.1.1,addr=10.0.0.5\n");

        assertThat(resolver.resolve(EventLayout.SOURCE_SMB_VFS, 0, 0, 0, 40).mountPoint()).isEqualTo("/mnt/my share");
    }

    @Test
    void debugfsNamesClientsInHex() throws IOException {
        Path client = Files.createDirectories(dir.resolve("sunrpc/rpc_clnt/1b/xprt"));
        Files.writeString(client.resolve("info"), "netid: tcp\naddr:  10.0.0.9\nport:  2049\nstate: 0x12\n");

        assertThat(resolver.resolve(EventLayout.SOURCE_NFS_RPC, 0, 27, 0, 0).server()).isEqualTo("10.0.0.9");
    }

    @Test
    void withoutTheKernelsFilesNothingIsKnown() {
        MountResolver none = new MountResolver(dir.resolve("x"), dir.resolve("y"), dir.resolve("z"), now::get);

        assertThat(none.resolve(EventLayout.SOURCE_NFS_RPC, 0, 7, 0, 0)).isEqualTo(MountRef.unknown(Protocol.NFS));
    }
}
