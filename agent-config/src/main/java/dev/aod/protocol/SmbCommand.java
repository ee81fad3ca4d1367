package dev.aod.protocol;

import java.util.Optional;

/** SMB2 command codes as on the wire ({@code smb2_hdr.Command}), named as AODv2 names them. */
public enum SmbCommand {
    SMB2_NEGOTIATE,
    SMB2_SESSION_SETUP,
    SMB2_LOGOFF,
    SMB2_TREE_CONNECT,
    SMB2_TREE_DISCONNECT,
    SMB2_CREATE,
    SMB2_CLOSE,
    SMB2_FLUSH,
    SMB2_READ,
    SMB2_WRITE,
    SMB2_LOCK,
    SMB2_IOCTL,
    SMB2_CANCEL,
    SMB2_ECHO,
    SMB2_QUERY_DIRECTORY,
    SMB2_CHANGE_NOTIFY,
    SMB2_QUERY_INFO,
    SMB2_SET_INFO,
    SMB2_OPLOCK_BREAK,
    SMB2_SERVER_TO_CLIENT_NOTIFICATION;

    private static final SmbCommand[] BY_CODE = values();

    public int code() {
        return ordinal();
    }

    public static Optional<SmbCommand> ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    /** The name of a command code, also for codes outside the table. */
    public static String nameOf(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code].name() : "SMB2_UNKNOWN_" + code;
    }

    public static Optional<SmbCommand> ofName(String name) {
        for (SmbCommand c : BY_CODE) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
