package dev.aod.agent.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a credential from a file (a mounted Secret); errors name the setting and file, never the content. */
final class Secrets {
    private Secrets() {}

    static String read(String target, String setting, String file) throws ShipException {
        Path path = Path.of(file);
        try {
            String value = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new ShipException(ShipException.Kind.CREDENTIALS, target, setting + " " + file + " is empty");
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new ShipException(ShipException.Kind.CREDENTIALS, target, setting + " " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new ShipException(ShipException.Kind.CREDENTIALS, target, setting + " " + file + " is not readable");
        } catch (IOException e) {
            throw new ShipException(ShipException.Kind.CREDENTIALS, target,
                    setting + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
