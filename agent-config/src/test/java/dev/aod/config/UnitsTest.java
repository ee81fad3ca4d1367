package dev.aod.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void durationsParseAndPrintInTheirShortestExactForm() {
        assertThat(Units.parseDuration("250ms")).contains(Duration.ofMillis(250));
        assertThat(Units.parseDuration("1.5s")).contains(Duration.ofMillis(1500));
        assertThat(Units.parseDuration("2d")).contains(Duration.ofDays(2));
        assertThat(Units.parseDuration("5")).isEmpty();
        assertThat(Units.parseDuration("5 s")).isEmpty();
        assertThat(Units.formatDuration(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Units.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Units.formatDuration(Duration.ofNanos(1_500_000))).isEqualTo("1500us");
        assertThat(Units.formatDuration(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void sizesParseDecimalAndBinaryUnits() {
        assertThat(Units.parseSize("200MiB")).contains(200L << 20);
        assertThat(Units.parseSize("1GB")).contains(1_000_000_000L);
        assertThat(Units.parseSize("0.5MiB")).contains(512L << 10);
        assertThat(Units.parseSize("4096")).contains(4096L);
        assertThat(Units.parseSize("lots")).isEmpty();
        assertThat(Units.formatSize(512L << 10)).isEqualTo("512KiB");
        assertThat(Units.formatSize(3L << 30)).isEqualTo("3GiB");
        assertThat(Units.formatSize(1000)).isEqualTo("1000B");
    }
}
