package dev.aod.api.v1alpha1;

/** Regular expressions of the schema, shared with the operator's checks. */
public final class Patterns {
    /** One number and one unit, as the agent reads it: {@code 250ms}, {@code 1.5s}, {@code 10m}, {@code 2h}, {@code 2d}. */
    public static final String DURATION = "^[0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h|d)$";
    /** An SMB2 command, an NFS procedure or a VFS operation name; the operator checks it against the tables. */
    public static final String OPERATION = "^[A-Za-z][A-Za-z0-9_]{0,63}$";
    /** An errno name such as EIO; the operator checks it against the table. */
    public static final String ERRNO = "^E[A-Z0-9]{1,19}$";
    /** A Kubernetes object name (RFC 1123 subdomain). */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A key of a Secret's data. */
    public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";
    /** An http or https URL. */
    public static final String HTTP_URL = "^https?://[^\\s]+$";
    /** An RFC 3339 time as Kubernetes writes it. */
    public static final String DATE_TIME = "date-time";

    /** Schema patch of a list of metav1.Condition: a map keyed by type, with metav1's constraints. */
    public static final String CONDITIONS_PATCH = "{\"x-kubernetes-list-type\": \"map\", \"x-kubernetes-list-map-keys\": [\"type\"], "
            + "\"items\": {\"required\": [\"type\", \"status\"], \"properties\": {"
            + "\"type\": {\"maxLength\": 316}, \"status\": {\"enum\": [\"True\", \"False\", \"Unknown\"]}, "
            + "\"reason\": {\"maxLength\": 1024}, \"message\": {\"maxLength\": 32768}, "
            + "\"lastTransitionTime\": {\"format\": \"date-time\"}}}}";

    private Patterns() {}
}
