package dev.aod.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Failing requests: fires when minCount counted errors occur within window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode != 'TrackOnly' || (has(self.codes) && size(self.codes) > 0)",
        message = "mode TrackOnly needs at least one error code in codes")
@ValidationRule(value = "!has(self.codes) || (has(self.mode) && self.mode == 'TrackOnly')",
        message = "codes apply only in mode TrackOnly; in mode All every error counts unless listed in excludeCodes")
@ValidationRule(value = "!has(self.mode) || self.mode != 'TrackOnly' || !has(self.excludeCodes)",
        message = "excludeCodes has no effect in mode TrackOnly: remove it or use mode All")
public record ErrorDetection(
        @JsonPropertyDescription("Wire (SMB2 commands, NFS procedures) or VFS (read, write, fsync, ...).")
        @Default(LatencyDetection.DEFAULT_LAYER)
        Layer layer,
        @JsonPropertyDescription("All: every error counts except excludeCodes. TrackOnly: only codes count.")
        @Default(DEFAULT_MODE)
        ErrorMode mode,
        @JsonPropertyDescription("Errno names that count in mode TrackOnly, e.g. EIO, ETIMEDOUT, EACCES.")
        @Size(max = 128)
        List<@Size(max = 20) @Pattern(Patterns.ERRNO) String> codes,
        @JsonPropertyDescription("Errno names that do not count in mode All.")
        @Size(max = 128)
        List<@Size(max = 20) @Pattern(Patterns.ERRNO) String> excludeCodes,
        @JsonPropertyDescription("Only errors of these operations count; absent means all.")
        @Size(max = 128)
        List<@Size(max = 64) @Pattern(Patterns.OPERATION) String> operations,
        @JsonPropertyDescription("Errors within window that fire the detector.")
        @Default("1")
        @Min(1)
        @Max(1_000_000)
        Integer minCount,
        @JsonPropertyDescription("The sliding window minCount is counted in.")
        @Default(DEFAULT_WINDOW)
        @Pattern(Patterns.DURATION)
        String window) {

    public static final String DEFAULT_MODE = "All";
    public static final int DEFAULT_MIN_COUNT = 1;
    public static final String DEFAULT_WINDOW = "60s";
}
