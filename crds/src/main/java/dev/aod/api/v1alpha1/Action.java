package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;

/**
 * The evidence a bundle can carry, by the agent's action names (docs/configuration.md, "Actions").
 * The operator's tests check this list against the agent's catalog.
 */
public enum Action {
    @JsonProperty("dmesg") DMESG,
    @JsonProperty("journalctl") JOURNALCTL,
    @JsonProperty("debugdata") DEBUGDATA,
    @JsonProperty("stats") STATS,
    @JsonProperty("mounts") MOUNTS,
    @JsonProperty("smbinfo") SMBINFO,
    @JsonProperty("syslogs") SYSLOGS,
    @JsonProperty("open_files") OPEN_FILES,
    @JsonProperty("mountstats") MOUNTSTATS,
    @JsonProperty("nfsstat") NFSSTAT,
    @JsonProperty("rpc_clients") RPC_CLIENTS,
    @JsonProperty("ss") SS,
    @JsonProperty("blocked_stacks") BLOCKED_STACKS,
    @JsonProperty("sysinfo") SYSINFO,
    @JsonProperty("flight_recorder") FLIGHT_RECORDER,
    @JsonProperty("ftrace") FTRACE,
    @JsonProperty("pcap") PCAP,
    @JsonProperty("verbose_log") VERBOSE_LOG;

    /** The name in the agent's configuration, e.g. {@code flight_recorder}. */
    public String agentName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static java.util.List<String> agentNames() {
        return Arrays.stream(values()).map(Action::agentName).toList();
    }
}
