package dev.aod.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations ({@code 250ms}, {@code 1.5s}, {@code 5m}, {@code 2h}, {@code 2d}) and sizes ({@code 512KiB}, {@code 200MiB}, {@code 1GB}). */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");
    private static final String[] DURATION_UNITS = {"d", "h", "m", "s", "ms", "us", "ns"};
    private static final long[] DURATION_NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
            1_000_000_000L, 1_000_000L, 1_000L, 1L};
    private static final String[] SIZE_UNITS = {"TiB", "GiB", "MiB", "KiB"};

    private Units() {}

    public static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(m.group(1));
        for (int i = 0; i < DURATION_UNITS.length; i++) {
            if (DURATION_UNITS[i].equals(m.group(2))) {
                return Optional.of(Duration.ofNanos(value.multiply(BigDecimal.valueOf(DURATION_NANOS[i])).longValue()));
            }
        }
        return Optional.empty();
    }

    /** The shortest exact spelling: 90s → {@code 90s}, 120s → {@code 2m}, 1.5 ms → {@code 1500us}. */
    public static String formatDuration(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) {
            return "0s";
        }
        for (int i = 0; i < DURATION_UNITS.length; i++) {
            if (ns % DURATION_NANOS[i] == 0) {
                return ns / DURATION_NANOS[i] + DURATION_UNITS[i];
            }
        }
        throw new AssertionError();
    }

    public static Optional<Long> parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long factor = switch (unit) {
            case "B" -> 1L;
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1L << 40;
        };
        return Optional.of(value.multiply(BigDecimal.valueOf(factor)).longValue());
    }

    public static String formatSize(long bytes) {
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            long factor = 1L << (10 * (SIZE_UNITS.length - i));
            if (bytes != 0 && bytes % factor == 0) {
                return bytes / factor + SIZE_UNITS[i];
            }
        }
        return bytes + "B";
    }

    static String describeDuration() {
        return "a duration such as 250ms, 5s, 10m, 2h or 2d";
    }

    static String describeSize() {
        return "a size such as 512KiB, 200MiB or 1GiB";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
