package dev.aod.config;

/** One invalid setting: where it is ({@code guardian.anomalies.latency.mode}), what it held, what is wrong. */
public record ConfigError(String path, String value, String message) {

    @Override
    public String toString() {
        return value == null ? path + ": " + message : path + ": " + message + " (got " + value + ")";
    }
}
