package dev.aod.e2e.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the e2e module lives, and reading the end of log files for error messages. */
public final class E2ePaths {
        private E2ePaths() {}

        /** The e2e module's directory: failsafe passes it, and runs the tests there anyway. */
        public static Path moduleDir() {
                return Path.of(System.getProperty("aod.e2e.basedir", System.getProperty("user.dir")))
                                .toAbsolutePath()
                                .normalize();
        }

        public static Path targetDir() {
                return moduleDir().resolve("target");
        }

        /** The last lines of a file, headed by its name, for exception messages (which it must not replace). */
        public static String tail(Path file, int maxLines) {
                String header = "--- " + file + " (last " + maxLines + " lines) ---\n";
                if (!Files.exists(file)) {
                        return "--- " + file + " does not exist ---\n";
                }
                try {
                        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                        List<String> lines = text.lines().toList();
                        List<String> last = lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
                        return header + String.join("\n", last) + "\n";
                } catch (IOException e) {
                        return "--- " + file + " cannot be read: " + e + " ---\n";
                }
        }
}
