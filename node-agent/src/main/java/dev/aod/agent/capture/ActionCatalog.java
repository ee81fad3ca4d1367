package dev.aod.agent.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The capture actions by the names configurations use (AODv2's names among them). */
public final class ActionCatalog {
    /** Every action name an AODv2 config.yaml may use. */
    public static final List<String> AODV2_ACTIONS =
            List.of("dmesg", "journalctl", "debugdata", "stats", "mounts", "smbinfo", "syslogs");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> IMPLEMENTED = List.of("dmesg", "journalctl", "debugdata", "stats", "mounts");

    private final Map<String, CaptureAction> actions = new LinkedHashMap<>();

    /** @param procRoot where /proc is (another directory in tests) */
    public ActionCatalog(Path procRoot) {
        add(new CommandAction("dmesg", "dmesg.txt", List.of("dmesg", "--time-format=iso"), DEFAULT_TIMEOUT));
        add(new CommandAction("journalctl", "journal.txt",
                List.of("journalctl", "--no-pager", "--output=short-iso", "--since=-10min"), DEFAULT_TIMEOUT));
        add(new FileAction("debugdata", "cifs/DebugData.txt", procRoot.resolve("fs/cifs/DebugData"),
                "cifs module not loaded", DEFAULT_TIMEOUT));
        add(new FileAction("stats", "cifs/Stats.txt", procRoot.resolve("fs/cifs/Stats"),
                "cifs module not loaded", DEFAULT_TIMEOUT));
        add(new FileAction("mounts", "mounts.txt", procRoot.resolve("mounts"), "", DEFAULT_TIMEOUT));
    }

    private void add(CaptureAction action) {
        actions.put(action.name(), action);
    }

    public static boolean isImplemented(String name) {
        return IMPLEMENTED.contains(name);
    }

    /** Every name a configuration may use. */
    public static List<String> names() {
        List<String> all = new ArrayList<>(AODV2_ACTIONS);
        IMPLEMENTED.stream().filter(n -> !all.contains(n)).forEach(all::add);
        return all;
    }

    /** The actions for validated names, in order; names not implemented were already reported by the config. */
    public List<CaptureAction> resolve(List<String> names) {
        return names.stream().filter(actions::containsKey).map(actions::get).toList();
    }
}
