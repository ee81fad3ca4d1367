package dev.aod.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the errors and notices of one configuration load. */
final class ConfigProblems {
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();

    void error(String path, String value, String message) {
        errors.add(new ConfigError(path, value, message));
    }

    void notice(String path, String message) {
        notices.add(path + ": " + message);
    }

    List<ConfigError> errors() {
        return errors;
    }

    List<String> notices() {
        return notices;
    }
}
