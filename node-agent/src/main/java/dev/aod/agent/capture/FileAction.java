package dev.aod.agent.capture;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Copies a file, typically from /proc; {@code absentHint} says why it may be missing. */
public record FileAction(String name, String fileName, Path source, String absentHint, Duration timeout)
        implements CaptureAction {

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        if (!Files.exists(source)) {
            throw new SkippedException(source + " is not present" + (absentHint.isEmpty() ? "" : ": " + absentHint));
        }
        try {
            Files.copy(source, out, StandardCopyOption.REPLACE_EXISTING);
            return 0;
        } catch (NoSuchFileException e) {
            throw new SkippedException(source + " disappeared while being read" + (absentHint.isEmpty() ? "" : ": " + absentHint));
        }
    }
}
