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

/** Slow requests: fires when minCount of them complete within window, or one takes ceiling or longer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode != 'TrackOnly' || (has(self.track) && size(self.track) > 0)",
        message = "mode TrackOnly needs at least one operation in track")
@ValidationRule(value = "!has(self.mode) || self.mode != 'TrackOnly' || !has(self.exclude)",
        message = "exclude has no effect in mode TrackOnly: remove it or use mode All")
@ValidationRule(value = "!has(self.mode) || self.mode != 'ExcludeOnly' || !has(self.track)",
        message = "track has no effect in mode ExcludeOnly (every operation not excluded uses defaultThreshold): remove it or use mode All")
@ValidationRule(value = "!has(self.track) || !has(self.exclude) || self.track.all(t, !(t.operation in self.exclude))",
        message = "an operation cannot be both in track and in exclude")
public record LatencyDetection(
        @JsonPropertyDescription("Wire (SMB2 commands, NFS procedures) or VFS (read, write, fsync, ...).")
        @Default(DEFAULT_LAYER)
        Layer layer,
        @JsonPropertyDescription("All: every operation, track overrides thresholds, exclude removes operations. "
                + "TrackOnly: only the operations in track. ExcludeOnly: every operation not in exclude at defaultThreshold.")
        @Default(DEFAULT_MODE)
        LatencyMode mode,
        @JsonPropertyDescription("Threshold of every operation without its own.")
        @Default(DEFAULT_THRESHOLD)
        @Pattern(Patterns.DURATION)
        String defaultThreshold,
        @JsonPropertyDescription("Operations with their own threshold.")
        @Size(max = 128)
        List<OperationThreshold> track,
        @JsonPropertyDescription("Operations not watched.")
        @Size(max = 128)
        List<@Size(max = 64) @Pattern(Patterns.OPERATION) String> exclude,
        @JsonPropertyDescription("Slow requests within window that fire the detector.")
        @Default("10")
        @Min(1)
        @Max(1_000_000)
        Integer minCount,
        @JsonPropertyDescription("The sliding window minCount is counted in.")
        @Default(DEFAULT_WINDOW)
        @Pattern(Patterns.DURATION)
        String window,
        @JsonPropertyDescription("A single request this slow fires the detector at once.")
        @Default(DEFAULT_CEILING)
        @Pattern(Patterns.DURATION)
        String ceiling) {

    public static final String DEFAULT_LAYER = "Wire";
    public static final String DEFAULT_MODE = "All";
    public static final String DEFAULT_THRESHOLD = "10ms";
    public static final int DEFAULT_MIN_COUNT = 10;
    public static final String DEFAULT_WINDOW = "10s";
    public static final String DEFAULT_CEILING = "1s";
}
