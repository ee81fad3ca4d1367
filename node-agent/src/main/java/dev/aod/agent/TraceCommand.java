package dev.aod.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aod.agent.source.BpfEventSource;
import dev.aod.agent.source.MountResolver;
import dev.aod.agent.source.ProbeStatus;
import dev.aod.agent.source.Sources;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.LoadedConfig;
import dev.aod.protocol.Errno;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "trace", description = "Load the kernel probes for a configuration and print their events as they "
        + "arrive: what crosses from the kernel (errors, completions over a threshold, session trouble) and the "
        + "hung requests found, without detection or capture. A probe whose module is loaded later attaches then "
        + "(its new state is printed like the first).")
final class TraceCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the probes are checked against the modules loaded, as the agent's housekeeping does. */
    private static final long REFRESH_NS = 2_000_000_000L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "configuration whose thresholds and hung limits "
            + "apply (default: the embedded one)")
    Path config;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "0",
            description = "stop after N seconds (default: run until interrupted)")
    long seconds;

    @Option(names = "--json", description = "one JSON object per event")
    boolean json;

    @Option(names = "--all-probes", description = "also load the VFS probes no anomaly of the configuration watches")
    boolean allProbes;

    @Override
    public Integer call() throws InterruptedException {
        LoadedConfig loaded;
        try {
            loaded = AgentMain.loadConfig(config);
        } catch (InvalidConfigException e) {
            return AgentMain.invalid(spec, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MountResolver mounts = MountResolver.system();
        CountDownLatch done = new CountDownLatch(1);
        try (BpfEventSource source = new BpfEventSource(allProbes)) {
            List<ProbeStatus> probes = source.start(loaded.config());
            probes.forEach(p -> err.println("probe " + p));
            err.println("tracing" + (seconds > 0 ? " for " + seconds + " s" : " until interrupted"));
            err.flush();
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                main.interrupt();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "aod-trace-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
            long pollMs = Math.max(10, loaded.config().pollInterval().toMillis());
            EventBatch batch = new EventBatch(1024);
            long nextRefresh = System.nanoTime() + REFRESH_NS;
            try {
                while (System.nanoTime() < deadline) {
                    if (System.nanoTime() >= nextRefresh) {
                        nextRefresh = System.nanoTime() + REFRESH_NS;
                        List<ProbeStatus> before = probes;
                        probes = source.refresh();
                        probes.stream().filter(p -> !before.contains(p)).forEach(p -> err.println("probe " + p));
                        err.flush();
                    }
                    batch.clear();
                    int n = source.poll(batch);
                    List<Event> events = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        events.add(batch.get(i));
                    }
                    for (Event e : events) {
                        out.println(json ? json(e, mounts) : text(e, mounts));
                    }
                    out.flush();
                    if (n == 0) {
                        Thread.sleep(pollMs);
                    }
                }
            } catch (InterruptedException e) {
                // stopped: say what was lost, then leave
            }
            source.drops().forEach((probe, count) -> {
                if (count > 0) {
                    err.println("dropped " + probe + ": " + count);
                }
            });
            err.flush();
        } finally {
            done.countDown();
        }
        return 0;
    }

    static String json(Event e, MountResolver mounts) {
        ObjectNode j = JSON.createObjectNode();
        j.put("time", wallClock(e.tsNs()).toString());
        j.put("tsNs", e.tsNs());
        j.put("probe", Sources.name(e.source()));
        j.put("kind", kind(e.kind()));
        j.put("operation", Sources.subjectName(e.source(), e.kind(), e.command()));
        j.put("command", e.command());
        j.put("latencyNs", e.latencyNs());
        j.put("latencyMs", e.latencyNs() / 1e6);
        j.put("status", Integer.toUnsignedLong(e.status()));
        j.put("errno", e.error());
        if (e.error() != 0) {
            j.put("error", Errno.nameOf(e.error()));
        }
        j.put("sessionId", e.sessionId());
        j.put("requestId", e.requestId());
        j.put("connId", e.connId());
        j.put("treeId", Integer.toUnsignedLong(e.treeId()));
        j.put("dev", e.dev() == 0 ? "" : (e.dev() >>> 20) + ":" + (e.dev() & 0xfffff));
        j.put("aux", Integer.toUnsignedLong(e.aux()));
        j.putPOJO("flags", flags(e.flags()));
        String function = Sources.functionName(e.source(), e.aux());
        if (function != null) {
            j.put("function", function);
        }
        j.put("tgid", e.tgid());
        j.put("pid", e.pid());
        j.put("comm", e.comm());
        j.put("cgroupId", e.cgroupId());
        MountResolver.MountRef mount = mounts.resolve(e);
        ObjectNode m = j.putObject("mount");
        m.put("server", mount.server());
        m.put("share", mount.share());
        m.put("mountPoint", mount.mountPoint());
        return j.toString();
    }

    static String text(Event e, MountResolver mounts) {
        StringBuilder s = new StringBuilder();
        s.append(LocalTime.ofInstant(wallClock(e.tsNs()), ZoneId.systemDefault()).format(TIME)).append("  ")
                .append(String.format(Locale.ROOT, "%-8s %-7s %-22s %10.3f ms", Sources.name(e.source()), kind(e.kind()),
                        Sources.subjectName(e.source(), e.kind(), e.command()), e.latencyNs() / 1e6));
        if (e.error() != 0) {
            s.append("  ").append(Errno.nameOf(e.error()));
        }
        if (e.status() != 0) {
            s.append(String.format(Locale.ROOT, "  status=0x%08x", e.status()));
        }
        switch (e.source()) {
            case EventLayout.SOURCE_SMB_WIRE:
                s.append(String.format(Locale.ROOT, "  mid=%d sess=0x%x tid=0x%x", e.requestId(), e.sessionId(),
                        e.treeId()));
                break;
            case EventLayout.SOURCE_NFS_RPC:
                s.append(String.format(Locale.ROOT, "  xid=0x%08x clnt=%d", e.requestId(), e.connId()));
                break;
            default:
                String function = Sources.functionName(e.source(), e.aux());
                s.append("  ").append(function).append(" ino=").append(e.requestId());
        }
        if (e.kind() == EventLayout.KIND_SESSION && e.aux() != 0) {
            s.append(" aux=").append(Integer.toUnsignedLong(e.aux()));
        }
        flags(e.flags()).forEach(f -> s.append(' ').append(f));
        s.append("  ").append(e.comm()).append('[').append(e.pid()).append(']');
        MountResolver.MountRef mount = mounts.resolve(e);
        if (mount.isKnown()) {
            s.append("  ").append(mount.server()).append(mount.share().isEmpty() ? "" : ":" + mount.share());
            if (!mount.mountPoint().isEmpty()) {
                s.append(" on ").append(mount.mountPoint());
            }
        }
        return s.toString();
    }

    private static List<String> flags(int flags) {
        List<String> names = new ArrayList<>();
        if ((flags & EventLayout.FLAG_ASYNC) != 0) {
            names.add("ASYNC");
        }
        if ((flags & EventLayout.FLAG_COMPOUND) != 0) {
            names.add("COMPOUND");
        }
        return names;
    }

    private static String kind(int kind) {
        return switch (kind) {
            case EventLayout.KIND_SLOW -> "SLOW";
            case EventLayout.KIND_ERROR -> "ERROR";
            case EventLayout.KIND_HUNG -> "HUNG";
            case EventLayout.KIND_SESSION -> "SESSION";
            default -> "KIND" + kind;
        };
    }

    private static Instant wallClock(long monotonicNs) {
        long ageNs = System.nanoTime() - monotonicNs;
        return Instant.now().minusNanos(ageNs);
    }
}
