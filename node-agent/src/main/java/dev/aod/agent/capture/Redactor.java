package dev.aod.agent.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from the text files of a bundle: passwords and secrets in key=value or key: value
 * form (mount options, connection strings), SAS signatures, access keys, Authorization headers and PEM
 * private keys. Binary files (packet captures) are left as they are.
 */
public final class Redactor {
    public static final String MASK = "<redacted>";
    private static final List<Pattern> SECRETS = List.of(
            Pattern.compile("(?i)\\b(password|passwd|pass|pwd|secret|client_secret|token|credentials?"
                    + "|accountkey|sharedaccesssignature|sig|aws_secret_access_key|aws_session_token"
                    + "|secretaccesskey|connectionstring)(\\s*[=:]\\s*)(\"[^\"]*\"|[^\\s,;&\"]+)"),
            Pattern.compile("(?i)\\b(authorization)(\\s*:\\s*)(.+)"),
            Pattern.compile("(?i)\\b(x-amz-security-token|x-ms-copy-source-authorization)(\\s*[=:]\\s*)(\\S+)"));
    private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");
    private static final Pattern PEM_END = Pattern.compile("-----END [A-Z ]*PRIVATE KEY-----");

    private Redactor() {}

    /**
     * Rewrites {@code file} without its credentials; returns how many it removed (0 for binary files).
     * The file is read a line at a time, as bytes (ISO-8859-1: the patterns are ASCII, and every other
     * byte comes back out as it went in, valid UTF-8 or not), so a large ftrace window or journal costs
     * no more heap than its longest line. It is replaced only when something was removed.
     */
    public static int redact(Path file) throws IOException {
        if (isBinary(file)) {
            return 0;
        }
        Path redacted = file.resolveSibling(file.getFileName() + ".redacting");
        Lines lines;
        try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.ISO_8859_1);
                Writer out = Files.newBufferedWriter(redacted, StandardCharsets.ISO_8859_1)) {
            lines = new Lines(out);
            char[] buf = new char[1 << 16];
            StringBuilder line = new StringBuilder();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        line.append(buf, from, i - from);
                        lines.line(line.toString(), true);
                        line.setLength(0);
                        from = i + 1;
                    }
                }
                line.append(buf, from, n - from);
            }
            lines.line(line.toString(), false);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(redacted);
            throw e;
        }
        if (lines.count > 0) {
            Files.move(redacted, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.delete(redacted);
        }
        return lines.count;
    }

    /** Writes each line of a file without its credentials, and counts what it removed. */
    private static final class Lines {
        private final Writer out;
        private int count;
        private boolean inKey;
        private boolean keyAlreadyMasked = true;

        Lines(Writer out) {
            this.out = out;
        }

        /** {@code newline}: the line ended with '\n' (every line but perhaps the file's last). */
        void line(String text, boolean newline) throws IOException {
            String end = newline ? "\n" : "";
            if (inKey) {
                if (PEM_END.matcher(text).find()) {
                    inKey = false;
                    count += keyAlreadyMasked ? 0 : 1;
                    out.write(text + end);
                } else if (!text.equals(MASK)) {
                    keyAlreadyMasked = false;
                }
                if (!newline && inKey && !keyAlreadyMasked) {
                    count++;
                }
                return;
            }
            if (PEM_BEGIN.matcher(text).find()) {
                inKey = true;
                keyAlreadyMasked = true;
                out.write(text + "\n" + MASK + end);
                return;
            }
            for (Pattern p : SECRETS) {
                Matcher m = p.matcher(text);
                StringBuilder replaced = new StringBuilder();
                boolean found = false;
                while (m.find()) {
                    if (m.group(3).equals(MASK)) {
                        continue;
                    }
                    found = true;
                    count++;
                    m.appendReplacement(replaced, Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
                }
                if (found) {
                    m.appendTail(replaced);
                    text = replaced.toString();
                }
            }
            out.write(text + end);
        }
    }

    private static boolean isBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8192);
            for (byte b : head) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
