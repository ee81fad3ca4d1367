package dev.aod.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.config.RetentionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void deletesWhatIsOlderThanMaxAgeAndNothingYounger() throws Exception {
        bundle("a", Duration.ofHours(49), 10);
        bundle("b", Duration.ofHours(47), 10);
        Files.writeString(dir.resolve(".c.tar.zst.partial"), "x");
        Files.setLastModifiedTime(dir.resolve(".c.tar.zst.partial"), FileTime.from(NOW.minus(Duration.ofDays(9))));

        Retention.Sweep sweep = retention(1 << 20, ShippingState.NOTHING_TO_SHIP).sweep();

        assertThat(sweep.expired()).isEqualTo(1);
        assertThat(names()).containsExactlyInAnyOrder("b.tar.zst", ".c.tar.zst.partial");
    }

    @Test
    void deletesTheOldestUntilTheRestFit() throws Exception {
        bundle("old", Duration.ofHours(3), 400);
        bundle("mid", Duration.ofHours(2), 400);
        bundle("new", Duration.ofHours(1), 400);

        Retention.Sweep sweep = retention(800, ShippingState.NOTHING_TO_SHIP).sweep();

        assertThat(sweep.overSize()).isEqualTo(1);
        assertThat(sweep.bytesLeft()).isEqualTo(800);
        assertThat(names()).containsExactlyInAnyOrder("mid.tar.zst", "new.tar.zst");
    }

    @Test
    void keepsUnshippedBundlesPastTheirAgeAndDeletesThemOnlyForSpaceLast() throws Exception {
        bundle("unshipped-old", Duration.ofHours(60), 400);
        bundle("shipped", Duration.ofHours(2), 400);
        bundle("unshipped-new", Duration.ofHours(1), 400);
        Set<String> pending = Set.of("unshipped-old.tar.zst", "unshipped-new.tar.zst");
        Retention retention = retention(500, p -> pending.contains(p.getFileName().toString()));

        Retention.Sweep sweep = retention.sweep();

        assertThat(sweep.unshippedKept()).isEqualTo(1);
        assertThat(sweep.unshippedDeleted()).isEqualTo(1);
        assertThat(names()).containsExactly("unshipped-new.tar.zst");
        assertThat(retention.deletedUnshipped()).isEqualTo(1);
    }

    private Retention retention(long maxBytes, ShippingState shipping) {
        return new Retention(dir, new RetentionSettings(Duration.ofMinutes(1), Duration.ofHours(48), maxBytes), shipping,
                CLOCK);
    }

    private void bundle(String name, Duration age, int bytes) throws Exception {
        Path p = dir.resolve(name + ".tar.zst");
        Files.write(p, new byte[bytes]);
        Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
    }

    private java.util.List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
