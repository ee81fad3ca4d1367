package dev.aod.agent.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's verbose logging switches (cifsFYI, the sunrpc/nfs debug masks). Before switching one on,
 * its previous value goes to a marker file; it is switched back when the window ends, and at the next
 * start if the agent died in between.
 */
public final class VerboseSwitches {
    private static final Logger log = LoggerFactory.getLogger(VerboseSwitches.class);
    private static final String ALL_ON_CIFS = "7";
    private static final String ALL_ON_RPC = "65535";

    private final Path cifsFyi;
    private final Path nfsDebug;
    private final Path rpcDebug;
    private final Path marker;
    private boolean on;

    public VerboseSwitches(Path procRoot, Path marker) {
        this.cifsFyi = procRoot.resolve("fs/cifs/cifsFYI");
        this.nfsDebug = procRoot.resolve("sys/sunrpc/nfs_debug");
        this.rpcDebug = procRoot.resolve("sys/sunrpc/rpc_debug");
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

    private Map<String, String> restoreFromMarker() throws IOException {
        if (!Files.exists(marker)) {
            return Map.of();
        }
        Properties previous = new Properties();
        try (var in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            previous.load(in);
        }
        Map<String, String> restored = new LinkedHashMap<>();
        for (String path : previous.stringPropertyNames()) {
            write(Path.of(path), previous.getProperty(path));
            restored.put(path, previous.getProperty(path));
        }
        Files.delete(marker);
        return restored;
    }

    /** Switches the chosen logs on; false (and nothing changed) if a window is already open or none applies. */
    public synchronized boolean switchOn(boolean cifs, boolean rpc) throws IOException {
        if (on) {
            return false;
        }
        Map<Path, String> targets = new LinkedHashMap<>();
        if (cifs && Files.exists(cifsFyi)) {
            targets.put(cifsFyi, ALL_ON_CIFS);
        }
        if (rpc) {
            if (Files.exists(nfsDebug)) {
                targets.put(nfsDebug, ALL_ON_RPC);
            }
            if (Files.exists(rpcDebug)) {
                targets.put(rpcDebug, ALL_ON_RPC);
            }
        }
        if (targets.isEmpty()) {
            return false;
        }
        Properties previous = new Properties();
        for (Path p : targets.keySet()) {
            previous.setProperty(p.toString(), Files.readString(p).strip());
        }
        Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
        try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            previous.store(out, "AOD: values to restore");
        }
        Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        on = true;
        for (Map.Entry<Path, String> t : targets.entrySet()) {
            write(t.getKey(), t.getValue());
        }
        return true;
    }

    public synchronized void switchOff() throws IOException {
        if (on) {
            on = false;
            restoreFromMarker();
        }
    }

    private static void write(Path switchFile, String value) throws IOException {
        Files.writeString(switchFile, value);
    }
}
