package dev.aod.agent.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/** The end of the classic syslog file, where a host still has one. */
public record SyslogsAction(Path varLog, Duration timeout) implements CaptureAction {
    private static final int LINES = 2000;

    @Override
    public String name() {
        return "syslogs";
    }

    @Override
    public String fileName() {
        return "syslog-tail.txt";
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        for (String name : List.of("syslog", "messages")) {
            Path file = varLog.resolve(name);
            if (Files.isReadable(file)) {
                ArrayDeque<String> tail = new ArrayDeque<>(LINES);
                try (var lines = Files.lines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    lines.forEach(l -> {
                        if (tail.size() == LINES) {
                            tail.removeFirst();
                        }
                        tail.addLast(l);
                    });
                }
                Files.write(out, tail);
                return 0;
            }
        }
        throw new SkippedException("neither " + varLog.resolve("syslog") + " nor " + varLog.resolve("messages")
                + " exists (a journald-only host: see the journalctl action)");
    }
}
