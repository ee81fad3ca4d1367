package dev.aod.agent.ship;

import java.util.regex.Pattern;

/** Removes anything that looks like a credential from text that reaches logs or status. */
final class Redaction {
    private static final Pattern SECRETS = Pattern.compile(
            "(?i)(AccountKey=|SharedAccessSignature=|sig=|X-Amz-Signature=|X-Amz-Credential=|X-Amz-Security-Token="
                    + "|Signature=|aws_secret_access_key\\s*=\\s*)[^;&\\s\"'<]+");

    private Redaction() {}

    static String scrub(String text) {
        return text == null ? "" : SECRETS.matcher(text).replaceAll("$1***");
    }
}
