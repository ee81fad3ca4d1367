package dev.aod.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations one probe family reports, by the code in the kernel event and by the name used in
 * configurations. A name may stand for several codes: NFS {@code READ} is procedure 1 of NFSv4
 * and procedure 6 of NFSv3.
 */
public final class OperationTable {
    /** NFSv3 procedure p is reported as command NFS3_BASE + p; NFSv4 procedures as themselves. */
    public static final int NFS3_BASE = 128;
    public static final int CODES = 256;

    private static final String[] NFS4_PROCS = {
        "NULL", "READ", "WRITE", "COMMIT", "OPEN", "OPEN_CONFIRM", "OPEN_NOATTR", "OPEN_DOWNGRADE", "CLOSE",
        "SETATTR", "FSINFO", "RENEW", "SETCLIENTID", "SETCLIENTID_CONFIRM", "LOCK", "LOCKT", "LOCKU", "ACCESS",
        "GETATTR", "LOOKUP", "LOOKUP_ROOT", "REMOVE", "RENAME", "LINK", "SYMLINK", "CREATE", "PATHCONF", "STATFS",
        "READLINK", "READDIR", "SERVER_CAPS", "DELEGRETURN", "GETACL", "SETACL", "FS_LOCATIONS",
        "RELEASE_LOCKOWNER", "SECINFO", "FSID_PRESENT", "EXCHANGE_ID", "CREATE_SESSION", "DESTROY_SESSION",
        "SEQUENCE", "GET_LEASE_TIME", "RECLAIM_COMPLETE", "LAYOUTGET", "GETDEVICEINFO", "LAYOUTCOMMIT",
        "LAYOUTRETURN", "SECINFO_NO_NAME", "TEST_STATEID", "FREE_STATEID", "GETDEVICELIST",
        "BIND_CONN_TO_SESSION", "DESTROY_CLIENTID", "SEEK", "ALLOCATE", "DEALLOCATE", "LAYOUTSTATS", "CLONE",
        "COPY", "OFFLOAD_CANCEL", "LOOKUPP", "LAYOUTERROR", "COPY_NOTIFY", "GETXATTR", "SETXATTR", "LISTXATTRS",
        "REMOVEXATTR", "READ_PLUS",
    };
    private static final String[] NFS3_PROCS = {
        "NULL", "GETATTR", "SETATTR", "LOOKUP", "ACCESS", "READLINK", "READ", "WRITE", "CREATE", "MKDIR",
        "SYMLINK", "MKNOD", "REMOVE", "RMDIR", "RENAME", "LINK", "READDIR", "READDIRPLUS", "FSSTAT", "FSINFO",
        "PATHCONF", "COMMIT",
    };
    /** VFS entry points, the same for SMB and NFS (each probe maps its functions onto them). */
    public static final List<String> VFS_OPS = List.of(
            "read", "write", "open", "release", "flush", "fsync", "getattr", "setattr", "lookup", "create",
            "unlink", "rename", "mkdir", "rmdir", "readdir", "mmap", "lock", "statfs", "read_folio", "readahead",
            "writepages", "llseek", "fallocate", "link", "symlink", "writepage", "mknod", "readlink",
            "copy_file_range", "ioctl");

    private static final OperationTable SMB_WIRE;
    private static final OperationTable NFS_WIRE;
    private static final OperationTable VFS;

    static {
        Map<String, List<Integer>> smb = new LinkedHashMap<>();
        for (SmbCommand c : SmbCommand.values()) {
            smb.put(c.name(), List.of(c.code()));
        }
        SMB_WIRE = new OperationTable("SMB2 command", smb);

        Map<String, List<Integer>> nfs = new LinkedHashMap<>();
        for (int i = 0; i < NFS4_PROCS.length; i++) {
            nfs.computeIfAbsent(NFS4_PROCS[i], k -> new ArrayList<>()).add(i);
        }
        for (int i = 0; i < NFS3_PROCS.length; i++) {
            nfs.computeIfAbsent(NFS3_PROCS[i], k -> new ArrayList<>()).add(NFS3_BASE + i);
        }
        NFS_WIRE = new OperationTable("NFS procedure", nfs);

        Map<String, List<Integer>> vfs = new LinkedHashMap<>();
        for (int i = 0; i < VFS_OPS.size(); i++) {
            vfs.put(VFS_OPS.get(i), List.of(i));
        }
        VFS = new OperationTable("VFS operation", vfs);
    }

    private final String kind;
    private final Map<String, List<Integer>> codesByName;
    private final String[] nameByCode = new String[CODES];

    private OperationTable(String kind, Map<String, List<Integer>> codesByName) {
        this.kind = kind;
        Map<String, List<Integer>> frozen = new LinkedHashMap<>();
        codesByName.forEach((name, codes) -> {
            frozen.put(name, List.copyOf(codes));
            codes.forEach(code -> nameByCode[code] = name);
        });
        this.codesByName = Collections.unmodifiableMap(frozen);
    }

    public static OperationTable of(Protocol protocol, Layer layer) {
        if (layer == Layer.VFS) {
            return VFS;
        }
        return protocol == Protocol.SMB ? SMB_WIRE : NFS_WIRE;
    }

    /** What one entry is called, for messages: "SMB2 command", "NFS procedure", "VFS operation". */
    public String kind() {
        return kind;
    }

    public List<String> names() {
        return List.copyOf(codesByName.keySet());
    }

    public Optional<List<Integer>> codes(String name) {
        return Optional.ofNullable(codesByName.get(name));
    }

    /** The configured name of a code from a kernel event; codes outside the table get a readable stand-in. */
    public String nameOf(int code) {
        String name = code >= 0 && code < CODES ? nameByCode[code] : null;
        return name != null ? name : "UNKNOWN_" + code;
    }

    /** NFS: "v4" or "v3" for a procedure code. */
    public static String nfsVersionOf(int code) {
        return code >= NFS3_BASE ? "v3" : "v4";
    }
}
