package dev.aod.agent.capture;

import java.nio.file.Path;
import java.time.Duration;

/** One piece of evidence: a named step that writes one file of the bundle within a time limit. */
public interface CaptureAction {

    String name();

    /** Path of the output inside the bundle, e.g. {@code cifs/DebugData.txt}. */
    String fileName();

    Duration timeout();

    /**
     * Writes the evidence to {@code out} and anything the step itself reports to {@code err}. Returns
     * the exit code of a command, or 0 where there is none. Throws when the evidence cannot be taken;
     * {@link SkippedException} when it does not apply here.
     */
    int capture(CaptureContext context, Path out, Path err) throws Exception;

    /** The action does not apply on this host or to this anomaly; the reason goes into the manifest. */
    final class SkippedException extends Exception {
        public SkippedException(String reason) {
            super(reason);
        }
    }
}
