package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VfsFunctionsTest {

    @Test
    void theSmbListNamesEveryCacheModesReadAndWriteEntryPointInIdOrder() {
        VfsFunctions smb = VfsFunctions.of("smb_vfs");

        assertThat(smb.all()).extracting(VfsFunctions.Function::name).contains("cifs_strict_readv",
                "cifs_loose_read_iter", "cifs_direct_readv", "cifs_strict_writev", "cifs_file_write_iter",
                "cifs_direct_writev", "cifs_read_folio", "cifs_readahead", "cifs_writepages", "cifs_statfs");
        assertThat(smb.byId(0)).isEqualTo(new VfsFunctions.Function(0, "cifs_strict_readv", "read", 0));
        assertThat(smb.all()).allSatisfy(f -> assertThat(smb.byId(f.id())).isSameAs(f));
        assertThat(smb.byId(smb.all().size())).isNull();
    }

    @Test
    void theNfsListHasTheVersionSpecificEntryPoints() {
        assertThat(VfsFunctions.of("nfs_vfs").all()).extracting(VfsFunctions.Function::name)
                .contains("nfs_file_read", "nfs_file_write", "nfs_file_open", "nfs4_file_open", "nfs_getattr");
    }

    @Test
    void parsesThePreprocessedList() {
        VfsFunctions f = VfsFunctions.parse("cifs_open \"AOD_VFS_OPEN\" 2\n\ncifs_statfs \"AOD_VFS_STATFS\" 17\n");

        assertThat(f.all()).containsExactly(new VfsFunctions.Function(0, "cifs_open", "open", 2),
                new VfsFunctions.Function(1, "cifs_statfs", "statfs", 17));
    }
}
