package dev.aod.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.bpf.EventLayout;
import dev.aod.bpf.VfsFunctions;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;
import org.junit.jupiter.api.Test;

class SourcesTest {

    @Test
    void everyHookedVfsFunctionReportsAnOperationOfTheSharedTable() {
        OperationTable vfs = OperationTable.of(Protocol.SMB, Layer.VFS);
        for (String probe : new String[] {"smb_vfs", "nfs_vfs"}) {
            assertThat(VfsFunctions.of(probe).all()).allSatisfy(f ->
                    assertThat(vfs.nameOf(f.operationCode())).as(f.name()).isEqualTo(f.operation()));
        }
    }

    @Test
    void namesOfCodes() {
        assertThat(Sources.operationName(EventLayout.SOURCE_NFS_RPC, 128 + 7)).isEqualTo("WRITE");
        assertThat(Sources.subjectName(EventLayout.SOURCE_NFS_RPC, EventLayout.KIND_SESSION, 4)).isEqualTo("retransmit");
        assertThat(Sources.functionName(EventLayout.SOURCE_SMB_VFS, 1)).isEqualTo("cifs_loose_read_iter");
        assertThat(Sources.functionName(EventLayout.SOURCE_SMB_WIRE, 1)).isNull();
        assertThat(Sources.name(EventLayout.SOURCE_NFS_VFS)).isEqualTo("nfs-vfs");
    }
}
