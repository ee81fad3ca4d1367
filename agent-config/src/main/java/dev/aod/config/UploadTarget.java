package dev.aod.config;

import java.nio.file.Path;

/**
 * Where bundles are shipped. Credentials are never in the config itself: they are read from files
 * (a mounted Secret in Kubernetes) or, where a field is empty, from the environment.
 */
public sealed interface UploadTarget {

    /** A prefix for object names: {@code <prefix>/<node>/<date>/<bundle>.tar.zst}. */
    String prefix();

    /** A local directory, e.g. a PVC or a hostPath mount. */
    record Directory(Path path, String prefix) implements UploadTarget {}

    /**
     * Azure Blob Storage. Credentials: {@code connectionStringFile}, or {@code sasTokenFile} with
     * {@code accountUrl}, or workload identity (the default Azure credential chain) when both are empty.
     */
    record AzureBlob(String accountUrl, String container, String prefix, String connectionStringFile,
            String sasTokenFile) implements UploadTarget {}

    /**
     * S3 or an S3-compatible store. Credentials: the two key files, or the default AWS provider chain
     * when they are empty. {@code endpoint} and {@code pathStyle} serve S3-compatible stores.
     */
    record S3(String bucket, String prefix, String region, String endpoint, boolean pathStyle,
            String accessKeyIdFile, String secretAccessKeyFile) implements UploadTarget {}
}
