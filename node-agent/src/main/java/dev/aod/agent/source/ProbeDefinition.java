package dev.aod.agent.source;

import dev.aod.bpf.EventLayout;
import dev.aod.protocol.Protocol;
import java.util.List;

/**
 * One kernel probe: a BPF object of its own (sharing the core object's maps), the modules it needs,
 * and what it watches.
 *
 * @param object the BPF object, {@code <object>.bpf.o} next to {@code dev.aod.bpf}
 * @param modules kernel modules that must be loaded (under /sys/module)
 * @param optionalModules modules whose functions it also hooks while they are loaded: loading one
 *     later re-opens the probe
 * @param tracepoints {@code system/event} each program needs (tracepoint and tp_btf probes)
 * @param dropProbe the probe's slot in the drop counters ({@code EventLayout.PROBE_*})
 * @param vfs a VFS probe: one fentry/fexit pair per hooked function; a missing function is left out
 *     rather than failing the probe, and it is loaded only when a configured anomaly watches the VFS
 * @param requires a probe that must be attached first (whose in-flight requests this one completes)
 * @param partial whether it attaches with the programs this kernel allows when some cannot be (a
 *     missing tracepoint or function), rather than failing as a whole
 */
public record ProbeDefinition(
        String name,
        String object,
        Protocol protocol,
        List<String> modules,
        List<String> optionalModules,
        List<String> tracepoints,
        int dropProbe,
        boolean vfs,
        String requires,
        boolean partial,
        String watches) {

    public static final String SMB_WIRE = "smb-wire";
    public static final String SMB_MID = "smb-mid";
    public static final String SMB_SESSION = "smb-session";
    public static final String SMB_VFS = "smb-vfs";
    public static final String NFS_RPC = "nfs-rpc";
    public static final String NFS_SESSION = "nfs-session";
    public static final String NFS_VFS = "nfs-vfs";

    public ProbeDefinition {
        modules = List.copyOf(modules);
        optionalModules = List.copyOf(optionalModules);
        tracepoints = List.copyOf(tracepoints);
    }

    /** Every probe, in load order (a probe's requirement comes before it). */
    public static final List<ProbeDefinition> ALL = List.of(
            new ProbeDefinition(SMB_WIRE, "smb_wire", Protocol.SMB, List.of("cifs"), List.of(),
                    List.of("cifs/smb3_cmd_enter", "cifs/smb3_cmd_done", "cifs/smb3_cmd_err"),
                    EventLayout.PROBE_SMB_WIRE, false, null, false,
                    "latency of every SMB2 command with session id, mid and tree id; errors with NT status and errno"),
            new ProbeDefinition(SMB_MID, "smb_mid", Protocol.SMB, List.of("cifs"), List.of(), List.of(),
                    EventLayout.PROBE_SMB_MID, false, SMB_WIRE, true,
                    "connection id, compound and async flags of smb-wire requests; requests that end without a "
                            + "mapped response (echoes, reconnects)"),
            new ProbeDefinition(SMB_SESSION, "smb_session", Protocol.SMB, List.of("cifs"), List.of(),
                    List.of("cifs/smb3_reconnect", "cifs/smb3_credit_timeout", "cifs/smb3_insufficient_credits",
                            "cifs/smb3_slow_rsp"),
                    EventLayout.PROBE_SMB_SESSION, false, null, true,
                    "reconnects, credit timeouts, insufficient credits, cifs's slow responses"),
            new ProbeDefinition(SMB_VFS, "smb_vfs", Protocol.SMB, List.of("cifs"), List.of(), List.of(),
                    EventLayout.PROBE_SMB_VFS, true, null, true,
                    "latency and return codes of the cifs file, inode, address space and super operations"),
            new ProbeDefinition(NFS_RPC, "nfs_rpc", Protocol.NFS, List.of("nfs"), List.of(),
                    List.of("sunrpc/rpc_task_begin", "sunrpc/rpc_task_end", "sunrpc/xprt_reserve"),
                    EventLayout.PROBE_NFS_RPC, false, null, false,
                    "latency of every NFSv4 and NFSv3 procedure with xid and RPC client; errors"),
            new ProbeDefinition(NFS_SESSION, "nfs_session", Protocol.NFS, List.of("nfs"), List.of(),
                    List.of("sunrpc/xprt_retransmit", "sunrpc/rpc_timeout_status"),
                    EventLayout.PROBE_NFS_SESSION, false, null, true,
                    "retransmitted and timed-out NFS RPCs"),
            new ProbeDefinition(NFS_VFS, "nfs_vfs", Protocol.NFS, List.of("nfs"), List.of("nfsv4"), List.of(),
                    EventLayout.PROBE_NFS_VFS, true, null, true,
                    "latency and return codes of the NFS client's file, inode, address space and super operations"));

    public static ProbeDefinition named(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no probe " + name));
    }
}
