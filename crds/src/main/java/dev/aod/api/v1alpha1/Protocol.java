package dev.aod.api.v1alpha1;

/** The file-sharing clients AOD watches. */
public enum Protocol {
    SMB,
    NFS
}
