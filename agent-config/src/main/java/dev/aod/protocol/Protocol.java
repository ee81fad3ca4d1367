package dev.aod.protocol;

/** The file-sharing clients AOD watches. */
public enum Protocol {
    SMB,
    NFS
}
