package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compares {@link InflightLayout} with the in-flight structs of aod.bpf.o, read from its BTF. */
class InflightLayoutTest {
    private static ObjectBtf btf;

    @BeforeAll
    static void readBtf() throws Exception {
        btf = ObjectBtf.of("aod.bpf.o");
    }

    @Test
    void issuer() {
        assertThat(btf.offsets("aod_issuer")).containsExactly(
                entry("cgroup_id", InflightLayout.ISSUER_CGROUP_ID), entry("tgid", InflightLayout.ISSUER_TGID),
                entry("pid", InflightLayout.ISSUER_PID), entry("comm", InflightLayout.ISSUER_COMM));
        assertThat(btf.size("aod_issuer")).isEqualTo(InflightLayout.ISSUER_SIZE);
    }

    @Test
    void smbRequest() {
        assertThat(btf.offsets("smb_req_key")).containsExactly(
                entry("session_id", InflightLayout.SMB_KEY_SESSION_ID), entry("mid", InflightLayout.SMB_KEY_MID));
        assertThat(btf.size("smb_req_key")).isEqualTo(InflightLayout.SMB_KEY_SIZE);
        assertThat(btf.offsets("smb_req")).containsExactly(
                entry("start_ns", InflightLayout.SMB_START_NS), entry("conn_id", InflightLayout.SMB_CONN_ID),
                entry("who", InflightLayout.SMB_WHO), entry("tree_id", InflightLayout.SMB_TREE_ID),
                entry("command", InflightLayout.SMB_COMMAND), entry("flags", InflightLayout.SMB_FLAGS));
        assertThat(btf.size("smb_req")).isEqualTo(InflightLayout.SMB_SIZE);
    }

    @Test
    void nfsRequest() {
        assertThat(btf.offsets("nfs_req")).containsExactly(
                entry("start_ns", InflightLayout.NFS_START_NS), entry("who", InflightLayout.NFS_WHO),
                entry("clid", InflightLayout.NFS_CLID), entry("xid", InflightLayout.NFS_XID),
                entry("command", InflightLayout.NFS_COMMAND), entry("pad", InflightLayout.NFS_COMMAND + 2),
                entry("dev", InflightLayout.NFS_DEV));
        assertThat(btf.size("nfs_req")).isEqualTo(InflightLayout.NFS_SIZE);
    }

    private static java.util.Map.Entry<String, Integer> entry(String name, int offset) {
        return java.util.Map.entry(name, offset);
    }
}
