package dev.aod.agent.ship;

/** A shipping attempt that failed; the message names the store and never holds credentials. */
public final class ShipException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        UNREACHABLE("store unreachable"),
        CREDENTIALS("credentials refused"),
        NOT_FOUND("not found"),
        INTEGRITY("verification failed"),
        BUNDLE_UNREADABLE("bundle unreadable"),
        FAILED("failed");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final Kind kind;

    public ShipException(Kind kind, String target, String detail) {
        super(target + ": " + kind.text() + ": " + Redaction.scrub(detail));
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
