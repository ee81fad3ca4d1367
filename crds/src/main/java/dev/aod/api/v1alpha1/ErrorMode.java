package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which error codes an error detector counts. */
public enum ErrorMode {
    /** Every error except those in {@code excludeCodes}. */
    @JsonProperty("All")
    ALL,
    /** Only the errors in {@code codes}. */
    @JsonProperty("TrackOnly")
    TRACK_ONLY
}
