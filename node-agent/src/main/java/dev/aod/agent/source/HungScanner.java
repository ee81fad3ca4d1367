package dev.aod.agent.source;

import dev.aod.bpf.BpfMap;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventLayout;
import dev.aod.bpf.InflightLayout;
import dev.aod.config.AgentConfig;
import dev.aod.config.HungSpec;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SmbCommand;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds requests that started and have not completed after the hung limit, in the kernel's
 * in-flight maps (SMB wire and NFS RPC), and reports each once as a HUNG event with its age,
 * command and issuer. The limit of a protocol is the lowest {@code after} of its hung anomalies.
 * SMB2 CHANGE_NOTIFY waits for changes by design and is watched only when named.
 *
 * <p>Without the smb-mid probe, SMB requests of session 0 (echoes, negotiates, the first leg of a
 * session setup, whose response brings the session id) are not watched: only smb-mid's release
 * hook sees them end.
 *
 * <p>Entries older than {@link #STALE} are removed: a request whose end the kernel never reported
 * (the smb-mid probe not attached, a task restarted after its end) would otherwise stay forever.
 */
final class HungScanner {
    static final Duration STALE = Duration.ofMinutes(15);
    private static final long IDLE_SCAN_NS = Duration.ofSeconds(60).toNanos();
    private static final long MAX_SCAN_NS = Duration.ofSeconds(1).toNanos();
    private static final long MIN_SCAN_NS = Duration.ofMillis(100).toNanos();

    /** The part of a BPF hash map the scan needs, so that tests can stand in for the kernel. */
    interface Table {
        List<BpfMap.Entry> entries();

        void delete(byte[] key);

        static Table of(BpfMap map) {
            return new Table() {
                @Override
                public List<BpfMap.Entry> entries() {
                    return map.entries();
                }

                @Override
                public void delete(byte[] key) {
                    map.delete(key);
                }
            };
        }
    }

    private final Table smb;
    private final Table nfs;
    private final Watch smbWatch = new Watch();
    private final Watch nfsWatch = new Watch();
    private boolean smbMidAttached = true;
    private long intervalNs = IDLE_SCAN_NS;
    private long lastScanNs = Long.MIN_VALUE;

    private static final class Watch {
        long limitNs = Long.MAX_VALUE;
        final boolean[] commands = new boolean[EventLayout.CMD_SLOTS];
        final Set<ByteBuffer> reported = new HashSet<>();
    }

    HungScanner(Table smb, Table nfs) {
        this.smb = smb;
        this.nfs = nfs;
    }

    void configure(AgentConfig config) {
        configure(smbWatch, config, Protocol.SMB);
        configure(nfsWatch, config, Protocol.NFS);
        long limit = Math.min(smbWatch.limitNs, nfsWatch.limitNs);
        intervalNs = limit == Long.MAX_VALUE ? IDLE_SCAN_NS : Math.max(MIN_SCAN_NS, Math.min(MAX_SCAN_NS, limit / 2));
    }

    private static void configure(Watch watch, AgentConfig config, Protocol protocol) {
        watch.limitNs = Long.MAX_VALUE;
        Arrays.fill(watch.commands, false);
        OperationTable table = OperationTable.of(protocol, Layer.WIRE);
        for (HungSpec spec : config.anomalies(HungSpec.class)) {
            if (spec.protocol() != protocol) {
                continue;
            }
            watch.limitNs = Math.min(watch.limitNs, spec.after().toNanos());
            if (spec.operations().isEmpty()) {
                Arrays.fill(watch.commands, true);
                if (protocol == Protocol.SMB && !named(config, SmbCommand.SMB2_CHANGE_NOTIFY.name())) {
                    watch.commands[SmbCommand.SMB2_CHANGE_NOTIFY.code()] = false;
                }
            } else {
                spec.operations().forEach(op -> table.codes(op).orElseThrow().forEach(c -> watch.commands[c] = true));
            }
        }
    }

    private static boolean named(AgentConfig config, String operation) {
        return config.anomalies(HungSpec.class).stream().anyMatch(s -> s.operations().contains(operation));
    }

    /** Whether smb-mid is attached: it ends the SMB requests that smb-wire's tracepoints cannot. */
    void smbMidAttached(boolean attached) {
        smbMidAttached = attached;
    }

    boolean watchesSessionlessSmbRequests() {
        return smbMidAttached;
    }

    /** The limit of a protocol, or null when no hung anomaly watches it. */
    Duration limit(Protocol protocol) {
        long ns = (protocol == Protocol.SMB ? smbWatch : nfsWatch).limitNs;
        return ns == Long.MAX_VALUE ? null : Duration.ofNanos(ns);
    }

    boolean due(long nowNs) {
        return lastScanNs == Long.MIN_VALUE || nowNs - lastScanNs >= intervalNs;
    }

    /** Requests newly found hung at {@code nowNs} (CLOCK_MONOTONIC), as events. */
    List<Event> scan(long nowNs) {
        lastScanNs = nowNs;
        List<Event> found = new ArrayList<>();
        if (smb != null) {
            scan(smb, smbWatch, true, !smbMidAttached, nowNs, found);
        }
        if (nfs != null) {
            scan(nfs, nfsWatch, false, false, nowNs, found);
        }
        return found;
    }

    private static void scan(Table table, Watch watch, boolean smb, boolean skipSessionless, long nowNs,
            List<Event> found) {
        Set<ByteBuffer> present = new HashSet<>();
        for (BpfMap.Entry entry : table.entries()) {
            long started = InflightLayout.startNs(entry.value());
            long age = nowNs - started;
            // An address (NFS tasks) is reused: the start time tells one request from the next.
            ByteBuffer id = ByteBuffer.allocate(entry.key().length + 8).put(entry.key()).putLong(started).flip();
            present.add(id);
            int command = InflightLayout.command(entry.value(), smb);
            boolean watched = command < watch.commands.length && watch.commands[command]
                    && !(skipSessionless && InflightLayout.smbSessionId(entry.key()) == 0);
            if (age >= watch.limitNs && watched && watch.reported.add(id)) {
                found.add(smb ? InflightLayout.smbHung(entry.key(), entry.value(), nowNs)
                        : InflightLayout.nfsHung(entry.value(), nowNs));
            }
            if (age >= STALE.toNanos()) {
                table.delete(entry.key());
            }
        }
        watch.reported.retainAll(present);
    }
}
