package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which operations a latency detector watches, as AODv2's modes all, trackonly and excludeonly. */
public enum LatencyMode {
    /** Every operation: {@code track} overrides thresholds, {@code exclude} removes operations. */
    @JsonProperty("All")
    ALL,
    /** Only the operations in {@code track}. */
    @JsonProperty("TrackOnly")
    TRACK_ONLY,
    /** Every operation not in {@code exclude}, each at {@code defaultThreshold}. */
    @JsonProperty("ExcludeOnly")
    EXCLUDE_ONLY
}
