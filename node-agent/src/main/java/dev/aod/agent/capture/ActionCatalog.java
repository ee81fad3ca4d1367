package dev.aod.agent.capture;

import dev.aod.agent.detect.MonotonicClock;
import dev.aod.config.ActionNames;
import dev.aod.config.CaptureSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every capture action by the name configurations use ({@link ActionNames}). */
public final class ActionCatalog {
    private final Map<String, CaptureAction> actions = new LinkedHashMap<>();

    public ActionCatalog(CaptureSettings settings, HostPaths host, FlightRecorder flightRecorder, MonotonicClock clock,
            Supplier<FtraceRecorder> ftrace, Supplier<PacketCapture> packetCapture, VerboseSwitches verbose) {
        Duration t = settings.actionTimeout();
        String since = "--since=-" + Math.max(1, settings.kernelLogWindow().toSeconds()) + "s";
        add(CommandAction.of("dmesg", "dmesg.txt", t, "dmesg", "--time-format=iso"));
        add(host.equals(HostPaths.REAL)
                ? CommandAction.of("journalctl", "journal.txt", t, "journalctl", "--no-pager", "--output=short-iso", since)
                : CommandAction.of("journalctl", "journal.txt", t, "journalctl", "--no-pager", "--output=short-iso", since,
                        "--directory=" + host.varLog().resolve("journal")));
        add(new FileAction("debugdata", "cifs/DebugData.txt", host.proc().resolve("fs/cifs/DebugData"),
                "the cifs module is not loaded", t));
        add(new FileAction("stats", "cifs/Stats.txt", host.proc().resolve("fs/cifs/Stats"),
                "the cifs module is not loaded", t));
        add(new FileAction("open_files", "cifs/open_files.txt", host.proc().resolve("fs/cifs/open_files"),
                "the cifs module is not loaded", t));
        add(new FileAction("mounts", "mounts.txt", host.mountTable("mountinfo"), "", t));
        add(new SmbinfoAction(host, t));
        add(new SyslogsAction(host.varLog(), t));
        add(new FileAction("mountstats", "nfs/mountstats.txt", host.mountTable("mountstats"), "", t));
        add(CommandAction.of("nfsstat", "nfs/nfsstat.txt", t, "nfsstat", "-c", "-v"));
        add(new GlobAction("rpc_clients", "nfs/rpc-clients.txt", host.debugfs().resolve("sunrpc"),
                List.of("rpc_clnt/*/info", "rpc_clnt/*/tasks", "rpc_xprt/*/info"),
                "debugfs is not mounted or the sunrpc module is not loaded", t));
        add(CommandAction.of("ss", "ss.txt", t, "ss", "-tinpoe", "state", "all",
                "( sport = :445 or dport = :445 or sport = :2049 or dport = :2049 )"));
        add(new BlockedTasksAction(host.proc(), t));
        add(new SysinfoAction(host.proc(), host.sys(), host.etc(), t));
        add(new FlightRecorderAction(flightRecorder, clock, t));
        add(new FtraceAction(ftrace, t));
        add(new PacketCaptureAction(packetCapture, t));
        add(new VerboseLogAction(verbose, settings.verbose().duration().plus(t)));
        List<String> missing = ActionNames.ALL.stream().filter(n -> !actions.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("actions named in ActionNames without an implementation: " + missing);
        }
    }

    private void add(CaptureAction action) {
        actions.put(action.name(), action);
    }

    /** The actions for validated names, in order. */
    public List<CaptureAction> resolve(List<String> names) {
        return names.stream().map(n -> {
            CaptureAction a = actions.get(n);
            if (a == null) {
                throw new IllegalArgumentException("unknown action " + n);
            }
            return a;
        }).toList();
    }
}
