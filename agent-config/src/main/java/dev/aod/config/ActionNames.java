package dev.aod.config;

import dev.aod.protocol.Protocol;
import java.util.List;

/** The capture actions a configuration may name. */
public final class ActionNames {
    /** Every action name an AODv2 config.yaml may use. */
    public static final List<String> AODV2 =
            List.of("dmesg", "journalctl", "debugdata", "stats", "mounts", "smbinfo", "syslogs");

    /** Every action AOD has, AODv2's names first. */
    public static final List<String> ALL = List.of(
            "dmesg", "journalctl", "debugdata", "stats", "mounts", "smbinfo", "syslogs",
            "open_files", "mountstats", "nfsstat", "rpc_clients", "ss", "blocked_stacks", "sysinfo",
            "flight_recorder", "ftrace", "pcap", "verbose_log");

    private ActionNames() {}

    /** What a bundle holds when an anomaly names no actions. */
    public static List<String> defaultsFor(Protocol protocol) {
        return protocol == Protocol.SMB
                ? List.of("sysinfo", "dmesg", "mounts", "debugdata", "stats", "open_files", "ss", "blocked_stacks",
                        "flight_recorder", "ftrace")
                : List.of("sysinfo", "dmesg", "mounts", "mountstats", "nfsstat", "rpc_clients", "ss",
                        "blocked_stacks", "flight_recorder", "ftrace");
    }
}
