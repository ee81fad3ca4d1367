package dev.aod.agent.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Rewrites {@code file} without its credentials; returns how many it removed (0 for binary files). */
    public static int redact(Path file) throws IOException {
        if (isBinary(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length());
        int count = 0;
        boolean inKey = false;
        boolean keyAlreadyMasked = true;
        for (String line : text.split("\n", -1)) {
            if (inKey) {
                if (PEM_END.matcher(line).find()) {
                    inKey = false;
                    count += keyAlreadyMasked ? 0 : 1;
                    out.append(line).append('\n');
                } else if (!line.equals(MASK)) {
                    keyAlreadyMasked = false;
                }
                continue;
            }
            if (PEM_BEGIN.matcher(line).find()) {
                inKey = true;
                keyAlreadyMasked = true;
                out.append(line).append('\n').append(MASK).append('\n');
                continue;
            }
            for (Pattern p : SECRETS) {
                Matcher m = p.matcher(line);
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
                    line = replaced.toString();
                }
            }
            out.append(line).append('\n');
        }
        if (inKey && !keyAlreadyMasked) {
            count++;
        }
        if (count > 0) {
            out.setLength(out.length() - 1);
            Files.writeString(file, out, StandardCharsets.UTF_8);
        }
        return count;
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
