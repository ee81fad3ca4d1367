package dev.aod.operator.config;

/** How much the agent pods may do; see {@code dev.aod.operator.agent.AgentDaemonSet} for each capability. */
public enum SecurityProfile {
    /** Full capture: privileged container, host PID namespace (ftrace instances, cifsFYI, packet capture). */
    PRIVILEGED("privileged"),
    /** Passive detection and /proc snapshots with an explicit capability set; no privileged container. */
    LEAST_PRIVILEGED("leastPrivileged");

    private final String key;

    SecurityProfile(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
