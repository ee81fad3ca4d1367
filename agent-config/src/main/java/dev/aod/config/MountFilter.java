package dev.aod.config;

/**
 * Selects mounts by server and share (SMB, {@code share}) or export path (NFS). An empty field
 * matches anything.
 */
public record MountFilter(String server, String share) {

    public MountFilter {
        server = server == null ? "" : server;
        share = share == null ? "" : share;
    }

    public boolean matches(String mountServer, String mountShare) {
        return (server.isEmpty() || server.equalsIgnoreCase(mountServer))
                && (share.isEmpty() || share.equals(mountShare));
    }
}
