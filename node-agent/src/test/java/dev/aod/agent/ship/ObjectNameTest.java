package dev.aod.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ObjectNameTest {
    private static LocalBundle bundle(String file, String createdAt) {
        return new LocalBundle(Path.of("/b", file), 1, "s", "m", Instant.parse(createdAt), new byte[0]);
    }

    @Test
    void namesArePrefixNodeUtcDayAndBundle() {
        ObjectName n = ObjectName.of("aod", "worker-1", bundle("aod_x_1.tar.zst", "2026-03-01T23:59:59Z"));

        assertThat(n.bundleKey()).isEqualTo("aod/worker-1/2026-03-01/aod_x_1.tar.zst");
        assertThat(n.manifestKey()).isEqualTo("aod/worker-1/2026-03-01/aod_x_1.manifest.json");
    }

    @Test
    void anEmptyPrefixOrStraySlashesLeaveNoEmptySegment() {
        LocalBundle b = bundle("x.tar.zst", "2026-03-02T00:00:00Z");

        assertThat(ObjectName.of("", "n", b).bundleKey()).isEqualTo("n/2026-03-02/x.tar.zst");
        assertThat(ObjectName.of("/diag/aod/", "n", b).bundleKey()).isEqualTo("diag/aod/n/2026-03-02/x.tar.zst");
    }
}
