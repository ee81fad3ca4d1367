package dev.aod.agent.detect;

/** The server and share (SMB) or export (NFS) an event concerns; empty where it could not be told. */
public record MountKey(String server, String share) {
    public static final MountKey UNKNOWN = new MountKey("", "");

    public String describe() {
        if (server.isEmpty()) {
            return "an unidentified mount";
        }
        return share.isEmpty() ? server : server + ":" + share;
    }
}
