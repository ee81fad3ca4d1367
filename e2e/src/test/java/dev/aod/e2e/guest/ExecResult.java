package dev.aod.e2e.guest;

/** What a script run in the guest by {@link GuestVm#exec} left behind. */
public record ExecResult(int exitCode, String stdout, String stderr) {

        public boolean succeeded() {
                return exitCode == 0;
        }

        @Override
        public String toString() {
                return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
}
