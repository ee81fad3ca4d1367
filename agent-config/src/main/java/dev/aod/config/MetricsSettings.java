package dev.aod.config;

/** The Prometheus and health endpoint; port 0 turns it off. */
public record MetricsSettings(String address, int port) {
    public static final MetricsSettings DEFAULTS = new MetricsSettings("127.0.0.1", 9464);

    public boolean enabled() {
        return port != 0;
    }
}
