package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum BundleState {
    /** Being captured or waiting in the node's outbox. */
    @JsonProperty("Pending")
    PENDING,
    /** The upload target confirmed it. */
    @JsonProperty("Shipped")
    SHIPPED,
    /** Kept on the node only (no upload target). */
    @JsonProperty("Local")
    LOCAL,
    /** Capture or shipping failed; see message. */
    @JsonProperty("Failed")
    FAILED,
    /** No bundle: the detector was cooling down, or capture was paused for lack of space. */
    @JsonProperty("Skipped")
    SKIPPED
}
