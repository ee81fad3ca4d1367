package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Trouble with the connection itself: fires when minCount of the events occur within window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionDetection(
        @JsonPropertyDescription("Events that count; absent means every event of each protocol. "
                + "SMB: Reconnect, CreditTimeout, InsufficientCredits, SlowResponse. NFS: Retransmit, RpcTimeout.")
        @Size(min = 1, max = 6)
        List<SessionEventType> events,
        @JsonPropertyDescription("Events within window that fire the detector.")
        @Default("1")
        @Min(1)
        @Max(1_000_000)
        Integer minCount,
        @JsonPropertyDescription("The sliding window minCount is counted in.")
        @Default(DEFAULT_WINDOW)
        @Pattern(Patterns.DURATION)
        String window) {

    public static final int DEFAULT_MIN_COUNT = 1;
    public static final String DEFAULT_WINDOW = "5m";
}
