package dev.aod.agent.ship;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real store on 127.0.0.1 that a drill can stop, start and look into. */
interface StoreServer extends AutoCloseable {

    String name();

    void start() throws Exception;

    void stop() throws Exception;

    /**
     * The {@code upload:} block of an agent config for this store, with credential files written
     * under {@code secrets}; {@code wrongSecret} replaces the real secret when not null.
     */
    String uploadYaml(Path secrets, String wrongSecret) throws Exception;

    /** Writes the right credentials into the files {@link #uploadYaml} wrote (a rotated Secret). */
    void fixCredentials(Path secrets) throws Exception;

    /** Every object under the prefix with the sha256 of its content. */
    Map<String, String> objects(String prefix) throws Exception;

    /** Unfinished uploads (multipart uploads, uncommitted blocks, temporary files) the store still holds. */
    List<String> leftovers(String prefix) throws Exception;

    /** The secret a log line must never show. */
    String secret();

    @Override
    void close() throws Exception;
}
