package dev.aod.config;

import dev.aod.protocol.Protocol;
import java.time.Duration;
import java.util.List;

/** One configured anomaly. After it fires it stays quiet for {@link #cooldown()} per deduplication key. */
public sealed interface AnomalySpec permits LatencySpec, ErrorSpec, HungSpec, SessionSpec {

    String name();

    /** The AnomalyPolicy it came from, empty for a standalone config. */
    String policy();

    Protocol protocol();

    Duration cooldown();

    /** Only requests to these mounts count; empty means every mount of the protocol. */
    List<MountFilter> mounts();

    List<String> actions();

    /** latency, error, hung or session: the {@code type} key in YAML. */
    String type();
}
