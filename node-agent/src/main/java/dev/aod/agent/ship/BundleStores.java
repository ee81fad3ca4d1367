package dev.aod.agent.ship;

import dev.aod.config.UploadTarget;

/** Makes the store for an upload target. Nothing is contacted and no credential is read until first use. */
public final class BundleStores {
    /** Chunks in flight per upload: bounds memory and connections, enough to fill a link with some latency. */
    static final int PARALLELISM = 4;

    private BundleStores() {}

    public static BundleStore open(UploadTarget target) {
        if (target instanceof UploadTarget.Directory d) {
            return new DirectoryStore(d);
        }
        if (target instanceof UploadTarget.AzureBlob a) {
            return new AzureBlobStore(a, AzureBlobStore.BLOCK, PARALLELISM);
        }
        return new S3Store((UploadTarget.S3) target, S3Store.PART, PARALLELISM);
    }
}
