package dev.aod.agent.source;

import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells which mount an event concerns, from what the kernel publishes:
 * <ul>
 *   <li>VFS events (and NFS RPC events whose mount the nfs-vfs probe has seen) carry the super
 *       block's dev: /proc/self/mountinfo gives mount point, server and share or export;
 *   <li>SMB wire events carry session and tree id: /proc/fs/cifs/DebugData gives server and share
 *       (and the connection id of session events, the server);
 *   <li>NFS RPC events carry the RPC client id: /sys/kernel/debug/sunrpc/rpc_clnt/ID/xprt gives the
 *       server's address, and the mount when only one NFS mount has that address.
 * </ul>
 * What was read is cached and read again on a miss, at most once per {@link #REREAD_INTERVAL_NS}.
 * Where a share is mounted several times (say with two {@code cache=} modes), wire events name
 * server and share but no mount point.
 */
public final class MountResolver {
    static final long REREAD_INTERVAL_NS = 1_000_000_000L;
    private static final Pattern CONNECTION = Pattern.compile("ConnectionId: 0x([0-9a-fA-F]+)\\s+Hostname: (\\S+)");
    private static final Pattern SESSION = Pattern.compile("SessionId: 0x([0-9a-fA-F]+)");
    private static final Pattern SHARE = Pattern.compile("^\\s*\\d+\\) (?:IPC: )?\\\\\\\\([^\\\\\\s]+)\\\\(\\S+)");
    private static final Pattern TREE = Pattern.compile("\\btid: 0x([0-9a-fA-F]+)");
    private static final Pattern XPRT_ADDR = Pattern.compile("^addr:\\s*(\\S+)", Pattern.MULTILINE);

    /** The mount an event concerns; fields that could not be told are empty. */
    public record MountRef(Protocol protocol, String server, String share, String mountPoint) {
        public static MountRef unknown(Protocol protocol) {
            return new MountRef(protocol, "", "", "");
        }

        public boolean isKnown() {
            return !server.isEmpty();
        }
    }

    record Mount(int major, int minor, String mountPoint, String fsType, String server, String share, String addr) {
        Protocol protocol() {
            return fsType.startsWith("nfs") ? Protocol.NFS : Protocol.SMB;
        }

        MountRef ref() {
            return new MountRef(protocol(), server, share, mountPoint);
        }

        boolean sameSuperBlock(Mount other) {
            return major == other.major && minor == other.minor;
        }
    }

    private record SmbTree(String server, String share) {}

    private record TreeKey(long sessionId, long treeId) {}

    private final Path debugData;
    private final Path mountinfo;
    private final Path sunrpc;
    private final LongSupplier clock;
    private long lastReadNs;
    private boolean read;
    private List<Mount> mounts = List.of();
    private Map<Long, String> serverOfSession = Map.of();
    private Map<Long, String> serverOfConnection = Map.of();
    private Map<TreeKey, SmbTree> treeOfSessionAndTid = Map.of();
    private final Map<Long, String> serverOfRpcClient = new HashMap<>();

    public MountResolver(Path debugData, Path mountinfo, Path sunrpcDebugfs, LongSupplier clock) {
        this.debugData = debugData;
        this.mountinfo = mountinfo;
        this.sunrpc = sunrpcDebugfs;
        this.clock = clock;
    }

    /** The running system's: /proc/fs/cifs/DebugData, /proc/self/mountinfo, /sys/kernel/debug/sunrpc. */
    public static MountResolver system() {
        return new MountResolver(Path.of("/proc/fs/cifs/DebugData"), Path.of("/proc/self/mountinfo"),
                Path.of("/sys/kernel/debug/sunrpc"), System::nanoTime);
    }

    public MountRef resolve(EventBatch batch, int i) {
        return resolve(batch.source(i), batch.sessionId(i), batch.connId(i), batch.treeId(i), batch.dev(i));
    }

    public MountRef resolve(Event e) {
        return resolve(e.source(), e.sessionId(), e.connId(), e.treeId(), e.dev());
    }

    public synchronized MountRef resolve(int source, long sessionId, long connId, int treeId, int dev) {
        MountRef found = lookup(source, sessionId, connId, treeId, dev);
        if (!complete(found, source, treeId, dev) && reread()) {
            found = lookup(source, sessionId, connId, treeId, dev);
        }
        return found;
    }

    /** Whether what was found is all the event allows to find (else the kernel may know more by now). */
    private static boolean complete(MountRef found, int source, int treeId, int dev) {
        if (dev != 0) {
            return !found.mountPoint().isEmpty();
        }
        if (source == EventLayout.SOURCE_SMB_WIRE && treeId != 0) {
            return !found.share().isEmpty();
        }
        return found.isKnown();
    }

    private MountRef lookup(int source, long sessionId, long connId, int treeId, int dev) {
        Protocol protocol = Sources.protocol(source);
        if (!read) {
            return MountRef.unknown(protocol);
        }
        if (dev != 0) {
            int major = dev >>> 20;
            int minor = dev & 0xfffff;
            for (Mount m : mounts) {
                if (m.major == major && m.minor == minor) {
                    return m.ref();
                }
            }
        }
        if (protocol == Protocol.SMB && source == EventLayout.SOURCE_SMB_WIRE) {
            SmbTree tree = treeOfSessionAndTid.get(new TreeKey(sessionId, Integer.toUnsignedLong(treeId)));
            if (tree != null) {
                return new MountRef(Protocol.SMB, tree.server, tree.share, onlyMountOf(Protocol.SMB, tree.server, tree.share));
            }
            String server = serverOfSession.get(sessionId);
            if (server == null) {
                server = serverOfConnection.get(connId);
            }
            return server == null ? MountRef.unknown(Protocol.SMB) : new MountRef(Protocol.SMB, server, "", "");
        }
        if (protocol == Protocol.NFS && connId != 0) {
            String addr = serverOfRpcClient.computeIfAbsent(connId, this::rpcClientAddress);
            if (!addr.isEmpty()) {
                Mount only = null;
                for (Mount m : mounts) {
                    if (m.protocol() == Protocol.NFS && addr.equals(m.addr)) {
                        if (only != null && !only.sameSuperBlock(m)) {
                            return new MountRef(Protocol.NFS, addr, "", "");
                        }
                        only = only == null ? m : only;
                    }
                }
                return only == null ? new MountRef(Protocol.NFS, addr, "", "") : only.ref();
            }
        }
        return MountRef.unknown(protocol);
    }

    /** The mount point of a share mounted once (one super block, maybe at several places), else empty. */
    private String onlyMountOf(Protocol protocol, String server, String share) {
        Mount found = null;
        for (Mount m : mounts) {
            if (m.protocol() == protocol && m.server.equalsIgnoreCase(server) && m.share.equalsIgnoreCase(share)) {
                if (found != null && !found.sameSuperBlock(m)) {
                    return "";
                }
                found = found == null ? m : found;
            }
        }
        return found == null ? "" : found.mountPoint;
    }

    private boolean reread() {
        long now = clock.getAsLong();
        if (read && now - lastReadNs < REREAD_INTERVAL_NS) {
            return false;
        }
        lastReadNs = now;
        read = true;
        mounts = readMounts(mountinfo);
        readDebugData();
        serverOfRpcClient.clear();
        return true;
    }

    private void readDebugData() {
        Map<Long, String> sessions = new HashMap<>();
        Map<Long, String> connections = new HashMap<>();
        Map<TreeKey, SmbTree> trees = new HashMap<>();
        String text;
        try {
            text = Files.readString(debugData);
        } catch (IOException e) {
            text = "";
        }
        String server = null;
        Long session = null;
        SmbTree share = null;
        for (String line : text.split("\n")) {
            Matcher m = CONNECTION.matcher(line);
            if (m.find()) {
                server = m.group(2);
                connections.put(Long.parseUnsignedLong(m.group(1), 16), server);
                session = null;
                continue;
            }
            m = SESSION.matcher(line);
            if (m.find() && server != null) {
                session = Long.parseUnsignedLong(m.group(1), 16);
                sessions.put(session, server);
                continue;
            }
            m = SHARE.matcher(line);
            if (m.find()) {
                share = new SmbTree(m.group(1), m.group(2));
                continue;
            }
            m = TREE.matcher(line);
            if (m.find() && share != null && session != null) {
                trees.put(new TreeKey(session, Long.parseLong(m.group(1), 16)), share);
                share = null;
            }
        }
        serverOfSession = sessions;
        serverOfConnection = connections;
        treeOfSessionAndTid = trees;
    }

    private String rpcClientAddress(long clid) {
        try {
            // debugfs names a client by its id in hex
            Path xprt = sunrpc.resolve("rpc_clnt").resolve(Long.toHexString(clid)).resolve("xprt");
            Matcher m = XPRT_ADDR.matcher(Files.readString(xprt.resolve("info")));
            return m.find() ? m.group(1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The SMB and NFS mounts of a mountinfo file, as mount references. */
    public static List<MountRef> mounts(Path mountinfo) {
        return readMounts(mountinfo).stream().map(Mount::ref).toList();
    }

    static List<Mount> readMounts(Path mountinfo) {
        List<Mount> mounts = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo);
        } catch (IOException e) {
            return mounts;
        }
        for (String line : lines) {
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] head = line.substring(0, separator).split(" ");
            String[] tail = line.substring(separator + 3).split(" ");
            if (head.length < 5 || tail.length < 2) {
                continue;
            }
            String fsType = tail[0];
            boolean smb = fsType.equals("cifs") || fsType.equals("smb3");
            boolean nfs = fsType.equals("nfs") || fsType.equals("nfs4");
            if (!smb && !nfs) {
                continue;
            }
            String[] dev = head[2].split(":");
            String source = unescape(tail[1]);
            String server;
            String share;
            if (smb) {
                String path = source.replaceFirst("^//", "");
                int slash = path.indexOf('/');
                server = slash < 0 ? path : path.substring(0, slash);
                share = slash < 0 ? "" : path.substring(slash + 1);
                int sub = share.indexOf('/');
                share = sub < 0 ? share : share.substring(0, sub);
            } else {
                int colon = source.lastIndexOf(":/");
                server = colon < 0 ? source : source.substring(0, colon).replaceAll("^\\[|\\]$", "");
                share = colon < 0 ? "" : source.substring(colon + 1);
            }
            String addr = "";
            if (tail.length > 2) {
                for (String option : tail[2].split(",")) {
                    if (option.startsWith("addr=")) {
                        addr = option.substring(5).toLowerCase(Locale.ROOT);
                    }
                }
            }
            mounts.add(new Mount(Integer.parseInt(dev[0]), Integer.parseInt(dev[1]), unescape(head[4]), fsType, server,
                    share, addr));
        }
        return mounts;
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
