package dev.aod.config;

import java.util.List;

/**
 * A valid configuration and what the admin should know about it: keys accepted but not acted on,
 * contradictions that were resolved.
 */
public record LoadedConfig(AgentConfig config, String source, String format, List<String> notices) {

    public LoadedConfig {
        notices = List.copyOf(notices);
    }
}
