package dev.aod.agent.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's verbose logging switches: cifsFYI and the sunrpc/nfs debug masks, and the dynamic debug
 * sites of their modules, since cifsFYI messages are pr_debug() calls a kernel built with dynamic debug
 * (Debian's, for one) prints only when their site is on. Before switching one on, what undoes it goes
 * to a marker file; it is undone when the window ends, and at the next start if the agent died in
 * between. The kernel log gets a line when the window opens and when it closes, so that whoever reads
 * it knows who made it verbose, and the window's own lines can be told apart.
 */
public final class VerboseSwitches {
    public static final String ON_MARK = "AOD: verbose kernel logging switched on";
    public static final String OFF_MARK = "AOD: verbose kernel logging switched back off";

    private static final Logger log = LoggerFactory.getLogger(VerboseSwitches.class);
    private static final String ALL_ON_CIFS = "7";
    private static final String ALL_ON_RPC = "65535";
    private static final List<String> CIFS_MODULES = List.of("cifs");
    private static final List<String> RPC_MODULES = List.of("sunrpc", "nfs", "nfsv4", "nfsv3");

    private final Path cifsFyi;
    private final Path nfsDebug;
    private final Path rpcDebug;
    private final List<Path> dynamicDebugControls;
    private final Path kmsg;
    private final Path marker;
    private boolean on;

    /** {@code kmsg}: where the window's marks go into the kernel log (/dev/kmsg). */
    public VerboseSwitches(HostPaths host, Path kmsg, Path marker) {
        this.cifsFyi = host.proc().resolve("fs/cifs/cifsFYI");
        this.nfsDebug = host.proc().resolve("sys/sunrpc/nfs_debug");
        this.rpcDebug = host.proc().resolve("sys/sunrpc/rpc_debug");
        this.dynamicDebugControls = List.of(host.proc().resolve("dynamic_debug/control"),
                host.debugfs().resolve("dynamic_debug/control"));
        this.kmsg = kmsg;
        this.marker = marker;
    }

    /** Puts back what a previous run left switched on; returns the switches it restored. */
    public synchronized Map<String, String> restoreLeftovers() throws IOException {
        Map<String, String> restored = restoreFromMarker();
        if (!restored.isEmpty()) {
            log.warn("verbose kernel logging left on by a previous run was switched back: {}", restored);
        }
        return restored;
    }

    /**
     * Each entry is a file and what to write into it to undo a switch; a dynamic debug entry's key
     * carries the module after '#', since one control file takes one line per module.
     */
    private Map<String, String> restoreFromMarker() throws IOException {
        if (!Files.exists(marker)) {
            return Map.of();
        }
        Properties previous = new Properties();
        try (var in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            previous.load(in);
        }
        Map<String, String> restored = new LinkedHashMap<>();
        for (String key : previous.stringPropertyNames()) {
            String file = key.contains("#") ? key.substring(0, key.indexOf('#')) : key;
            Files.writeString(Path.of(file), previous.getProperty(key));
            restored.put(key, previous.getProperty(key));
        }
        Files.delete(marker);
        mark(OFF_MARK);
        return restored;
    }

    /** Switches the chosen logs on; false (and nothing changed) if a window is already open or none applies. */
    public synchronized boolean switchOn(boolean cifs, boolean rpc) throws IOException {
        if (on) {
            return false;
        }
        Map<Path, String> targets = new LinkedHashMap<>();
        List<String> modules = new ArrayList<>();
        if (cifs && Files.exists(cifsFyi)) {
            targets.put(cifsFyi, ALL_ON_CIFS);
            modules.addAll(CIFS_MODULES);
        }
        if (rpc) {
            for (Path mask : List.of(nfsDebug, rpcDebug)) {
                if (Files.exists(mask)) {
                    targets.put(mask, ALL_ON_RPC);
                }
            }
            if (!targets.isEmpty()) {
                modules.addAll(RPC_MODULES);
            }
        }
        if (targets.isEmpty()) {
            return false;
        }
        Properties undo = new Properties();
        for (Path p : targets.keySet()) {
            undo.setProperty(p.toString(), Files.readString(p).strip());
        }
        Path dynamicDebug = dynamicDebugControls.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        List<String> dynamic = dynamicDebug == null ? List.of() : modulesWithoutDebugOn(dynamicDebug, modules);
        dynamic.forEach(m -> undo.setProperty(dynamicDebug + "#" + m, "module " + m + " -p"));
        Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
        try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            undo.store(out, "AOD: what undoes the verbose kernel logging it switched on");
        }
        Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        on = true;
        for (Map.Entry<Path, String> t : targets.entrySet()) {
            Files.writeString(t.getKey(), t.getValue());
        }
        for (String m : dynamic) {
            Files.writeString(dynamicDebug, "module " + m + " +p");
        }
        mark(ON_MARK + " (" + String.join(", ", targets.keySet().stream().map(p -> p.getFileName().toString()).toList())
                + (dynamic.isEmpty() ? "" : "; dynamic debug of " + String.join(", ", dynamic)) + ")");
        return true;
    }

    /**
     * The loaded modules of these whose debug sites are all off: a module with sites someone already
     * switched on is left as it is, and so not switched off afterwards either.
     */
    private static List<String> modulesWithoutDebugOn(Path dynamicDebug, List<String> modules) throws IOException {
        Map<String, Boolean> anyOn = new LinkedHashMap<>();
        try (var lines = Files.lines(dynamicDebug, StandardCharsets.ISO_8859_1)) {
            lines.forEach(l -> {
                int open = l.indexOf(" [");
                int close = open < 0 ? -1 : l.indexOf(']', open);
                if (close > 0) {
                    String module = l.substring(open + 2, close);
                    if (modules.contains(module)) {
                        String[] rest = l.substring(close + 1).trim().split(" ", 3);
                        boolean printing = rest.length > 1 && rest[1].startsWith("=") && rest[1].contains("p");
                        anyOn.merge(module, printing, Boolean::logicalOr);
                    }
                }
            });
        }
        return anyOn.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    }

    public synchronized void switchOff() throws IOException {
        if (on) {
            on = false;
            restoreFromMarker();
        }
    }

    private void mark(String line) {
        try {
            Files.writeString(kmsg, line + "\n");
        } catch (IOException | RuntimeException e) {
            log.debug("could not mark the kernel log ({}): {}", kmsg, e.toString());
        }
    }
}
