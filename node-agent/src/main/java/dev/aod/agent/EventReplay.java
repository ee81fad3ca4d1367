package dev.aod.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aod.agent.source.SyntheticEventSource;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventLayout;
import dev.aod.protocol.Errno;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;
import dev.aod.protocol.SessionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Feeds a synthetic source from a file of events, one JSON object per line, instead of the kernel:
 * for demos and for drills without a cifs client. Each line: {@code atMs} (delay from the start),
 * {@code probe} (smb-wire, smb-vfs, nfs-rpc, nfs-vfs), {@code kind} (slow, error, hung, session),
 * {@code operation} (e.g. SMB2_WRITE, READ, fsync, reconnect), {@code latencyMs}, optional
 * {@code error} (errno name), {@code status}, {@code pid}, {@code comm}, {@code sessionId}, {@code connId}.
 */
final class EventReplay {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> PROBES = Map.of("smb-wire", EventLayout.SOURCE_SMB_WIRE,
            "smb-vfs", EventLayout.SOURCE_SMB_VFS, "nfs-rpc", EventLayout.SOURCE_NFS_RPC, "nfs-vfs", EventLayout.SOURCE_NFS_VFS);
    private static final Map<String, Integer> KINDS = Map.of("slow", EventLayout.KIND_SLOW, "error", EventLayout.KIND_ERROR,
            "hung", EventLayout.KIND_HUNG, "session", EventLayout.KIND_SESSION);

    record Timed(long atMs, Event event) {}

    private EventReplay() {}

    static List<Timed> read(Path file) throws IOException {
        List<Timed> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                out.add(parse(JSON.readTree(line)));
            } catch (IllegalArgumentException | IOException e) {
                throw new IOException(file + " line " + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Timed parse(JsonNode j) {
        String probe = text(j, "probe", "smb-wire");
        Integer source = PROBES.get(probe);
        if (source == null) {
            throw new IllegalArgumentException("probe must be one of " + PROBES.keySet() + " (got \"" + probe + "\")");
        }
        String kindName = text(j, "kind", "slow");
        Integer kind = KINDS.get(kindName);
        if (kind == null) {
            throw new IllegalArgumentException("kind must be one of " + KINDS.keySet() + " (got \"" + kindName + "\")");
        }
        String operation = text(j, "operation", "");
        int command;
        if (kind == EventLayout.KIND_SESSION) {
            command = SessionEvent.ofKey(operation).orElseThrow(() -> new IllegalArgumentException(
                    "operation of a session event must be one of reconnect, credit_timeout, ... (got \"" + operation + "\")"))
                    .ordinal();
        } else {
            Protocol protocol = probe.startsWith("smb") ? Protocol.SMB : Protocol.NFS;
            Layer layer = probe.endsWith("vfs") ? Layer.VFS : Layer.WIRE;
            OperationTable table = OperationTable.of(protocol, layer);
            command = table.codes(operation).map(c -> c.get(0)).orElseThrow(() -> new IllegalArgumentException(
                    "operation \"" + operation + "\" is not a known " + table.kind()));
        }
        String error = text(j, "error", "");
        int errno = error.isEmpty() ? 0 : -Errno.ofName(error.toUpperCase(Locale.ROOT)).orElseThrow(
                () -> new IllegalArgumentException("error \"" + error + "\" is not an errno name"));
        Event e = Event.builder()
                .latencyNs(Math.round(j.path("latencyMs").asDouble(0) * 1_000_000))
                .source(source).kind(kind).command(command).error(errno)
                .status((int) Long.decode(text(j, "status", "0")).longValue())
                .tgid(j.path("pid").asInt(0)).pid(j.path("pid").asInt(0)).comm(text(j, "comm", "replay"))
                .sessionId(j.path("sessionId").asLong(0)).connId(j.path("connId").asLong(0))
                .treeId(j.path("treeId").asInt(0))
                .build();
        return new Timed(j.path("atMs").asLong(0), e);
    }

    private static String text(JsonNode j, String field, String otherwise) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? otherwise : v.asText();
    }

    /** Starts a thread that hands the events to {@code source} at their times, stamped with the monotonic clock. */
    static void start(List<Timed> events, SyntheticEventSource source) {
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            for (Timed timed : events) {
                long due = start + timed.atMs() * 1_000_000;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                Event e = timed.event();
                source.offer(List.of(new Event(System.nanoTime(), e.latencyNs(), e.sessionId(), e.requestId(), e.connId(),
                        e.cgroupId(), e.tgid(), e.pid(), e.status(), e.error(), e.treeId(), e.dev(), e.aux(), e.flags(),
                        e.command(), e.source(), e.kind(), e.comm())));
            }
        }, "aod-replay");
        t.setDaemon(true);
        t.start();
    }
}
