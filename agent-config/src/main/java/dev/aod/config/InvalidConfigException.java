package dev.aod.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot run, with every error found, not just the first. */
public class InvalidConfigException extends Exception {
    private final String source;
    private final List<ConfigError> errors;

    public InvalidConfigException(String source, List<ConfigError> errors) {
        super(source + " is invalid:\n" + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public String source() {
        return source;
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
