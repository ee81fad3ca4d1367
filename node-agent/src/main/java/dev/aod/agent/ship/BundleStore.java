package dev.aod.agent.ship;

import java.util.Optional;

/**
 * Where bundles are shipped. A store writes the bundle object first and its manifest beside it last,
 * so a listing that shows a manifest shows a complete bundle. Writing the same names again replaces
 * them: a retry after an unknown outcome cannot make a second copy.
 */
public interface BundleStore extends AutoCloseable {

    /** Names the store for logs and status, e.g. "s3 bucket diag at http://…"; never holds credentials. */
    String describe();

    /** Checks that the store answers, takes the credentials and has its container. */
    void probe() throws ShipException;

    /** The bundle, if the store already holds it whole (same size and sha256) with its manifest. */
    Optional<StoredBundle> find(ObjectName name, LocalBundle bundle) throws ShipException;

    /** Uploads the bundle, then its manifest; returns what the store reports holding afterwards. */
    StoredBundle put(ObjectName name, LocalBundle bundle, Progress progress) throws ShipException;

    @Override
    void close();
}
