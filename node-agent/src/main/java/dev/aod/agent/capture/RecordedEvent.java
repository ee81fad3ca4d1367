package dev.aod.agent.capture;

import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.source.Sources;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventLayout;
import dev.aod.protocol.Errno;
import dev.aod.protocol.SessionEvent;
import java.time.Instant;
import java.util.Locale;

/** A probe event as the bundle shows it: names instead of codes, wall-clock time, milliseconds. */
public record RecordedEvent(
        Instant time,
        String probe,
        String kind,
        String operation,
        double latencyMs,
        String status,
        String error,
        String sessionId,
        long requestId,
        String connectionId,
        long treeId,
        String dev,
        int aux,
        int flags,
        int tgid,
        int pid,
        String comm,
        long cgroupId) {

    private static final String[] PROBES = {"selftest", "smb-wire", "smb-vfs", "nfs-rpc", "nfs-vfs"};
    private static final String[] KINDS = {"", "SLOW", "ERROR", "HUNG", "SESSION"};

    public static RecordedEvent of(Event e, MonotonicClock clock) {
        String operation = e.kind() == EventLayout.KIND_SESSION && e.command() < SessionEvent.values().length
                ? SessionEvent.values()[e.command()].key()
                : Sources.operationName(e.source(), e.command());
        return new RecordedEvent(clock.toInstant(e.tsNs()),
                e.source() < PROBES.length ? PROBES[e.source()] : "source" + e.source(),
                e.kind() < KINDS.length ? KINDS[e.kind()] : "kind" + e.kind(),
                operation, e.latencyNs() / 1e6,
                e.status() == 0 ? null : String.format(Locale.ROOT, "0x%08x", e.status()),
                e.error() == 0 ? null : Errno.nameOf(e.error()),
                e.sessionId() == 0 ? null : Long.toHexString(e.sessionId()), e.requestId(),
                e.connId() == 0 ? null : Long.toHexString(e.connId()), Integer.toUnsignedLong(e.treeId()),
                e.dev() == 0 ? null : (e.dev() >>> 20) + ":" + (e.dev() & 0xfffff), e.aux(), e.flags(),
                e.tgid(), e.pid(), e.comm(), e.cgroupId());
    }
}
