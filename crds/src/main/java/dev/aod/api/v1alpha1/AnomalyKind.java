package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a detector saw. */
public enum AnomalyKind {
    @JsonProperty("Latency")
    LATENCY,
    @JsonProperty("Error")
    ERROR,
    @JsonProperty("Hung")
    HUNG,
    @JsonProperty("Session")
    SESSION
}
