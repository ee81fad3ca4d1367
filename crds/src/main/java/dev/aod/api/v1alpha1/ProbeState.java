package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ProbeState {
    /** Its programs are attached and reporting. */
    @JsonProperty("Attached")
    ATTACHED,
    /** The kernel has no such client now (module not loaded); the agent attaches when it appears. */
    @JsonProperty("NotApplicable")
    NOT_APPLICABLE,
    /** It should attach but cannot: tracepoint missing, verifier error, permission. */
    @JsonProperty("Failed")
    FAILED
}
