package dev.aod.agent.capture;

import dev.aod.config.ActionNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The capture actions by the names configurations use ({@link ActionNames}). */
public final class ActionCatalog {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

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

    /** The actions for validated names, in order; a name this build cannot run yet is a failed action, not a silent gap. */
    public List<CaptureAction> resolve(List<String> names) {
        return names.stream().map(n -> actions.getOrDefault(n, new Unavailable(n))).toList();
    }

    private record Unavailable(String name) implements CaptureAction {
        @Override
        public String fileName() {
            return name + ".txt";
        }

        @Override
        public Duration timeout() {
            return DEFAULT_TIMEOUT;
        }

        @Override
        public int capture(Path out, Path err) {
            throw new UnsupportedOperationException("action " + name + " is not available in this build");
        }
    }
}
