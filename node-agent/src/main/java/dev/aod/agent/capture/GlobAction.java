package dev.aod.agent.capture;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Several small files matching glob patterns under a root, one after the other with their names as headers. */
public record GlobAction(String name, String fileName, Path root, List<String> globs, String absentHint,
        Duration timeout) implements CaptureAction {

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        if (!Files.isDirectory(root)) {
            throw new SkippedException(root + " is not present: " + absentHint);
        }
        List<PathMatcher> matchers = globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        int found = 0;
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8); Stream<Path> walk = Files.walk(root, 3)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path rel = root.relativize(p);
                if (matchers.stream().noneMatch(m -> m.matches(rel))) {
                    continue;
                }
                found++;
                w.write("== " + p + "\n");
                try {
                    w.write(Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    w.write("(unreadable: " + e.getMessage() + ")");
                }
                w.write("\n");
            }
        }
        if (found == 0) {
            throw new SkippedException("nothing under " + root + " matches " + globs + ": " + absentHint);
        }
        return 0;
    }
}
