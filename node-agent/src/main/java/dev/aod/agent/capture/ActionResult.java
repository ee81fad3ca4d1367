package dev.aod.agent.capture;

/**
 * What one action left in the bundle.
 *
 * @param stderrFile the action's own diagnostics beside its output, or null when it printed none
 * @param exitCode the command's exit code, null where the action is not a command or did not finish
 * @param error why the action failed, timed out or was skipped; null when it succeeded
 */
public record ActionResult(
        String name,
        String file,
        String stderrFile,
        Status status,
        Integer exitCode,
        long bytes,
        long durationMs,
        String error) {

    public enum Status { OK, FAILED, TIMED_OUT, SKIPPED }
}
