package dev.aod.agent.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.agent.capture.ActionCatalog;
import dev.aod.agent.capture.CaptureRunner;
import dev.aod.agent.capture.FlightRecorder;
import dev.aod.agent.capture.HostPaths;
import dev.aod.agent.capture.VerboseSwitches;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.config.CaptureSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a stopped agent left behind is packed or removed at the next start: nothing captured is lost. */
class BundlerRecoveryTest {
    @TempDir
    Path out;

    @Test
    void packsLeftStagingAsAnIncompleteBundleAndRemovesHalfWrittenArchives() throws Exception {
        Path staging = out.resolve(".staging/aod_20261121T120000Z_latency_SMB2_WRITE_1");
        Files.createDirectories(staging.resolve("cifs"));
        Files.writeString(staging.resolve("cifs/DebugData.txt"), "Sessions: 1 password=hunter2");
        Files.createDirectories(out.resolve(".staging/aod_empty"));
        Path bundles = out.resolve("bundles");
        Files.createDirectories(bundles);
        Files.writeString(bundles.resolve(".aod_x.tar.zst.partial"), "half");

        List<Path> recovered = bundler().recover();

        assertThat(recovered).singleElement().satisfies(b -> {
            assertThat(b.getFileName().toString()).isEqualTo("aod_20261121T120000Z_latency_SMB2_WRITE_1_recovered.tar.zst");
            Manifest m = BundleReader.manifest(b);
            assertThat(m.incomplete()).isTrue();
            assertThat(m.note()).contains("stopped while this bundle was being made");
            assertThat(m.files()).extracting(Manifest.FileInfo::path).containsExactly("cifs/DebugData.txt");
            assertThat(new String(BundleReader.files(b).get("cifs/DebugData.txt"))).contains("password=<redacted>");
        });
        try (var left = Files.list(bundles)) {
            assertThat(left).containsExactlyElementsOf(recovered);
        }
        assertThat(out.resolve(".staging")).isEmptyDirectory();
    }

    private Bundler bundler() {
        HostPaths host = new HostPaths(out.resolve("p"), out.resolve("s"), out.resolve("e"), out.resolve("l"));
        FlightRecorder recorder = new FlightRecorder(4);
        ActionCatalog catalog = new ActionCatalog(CaptureSettings.DEFAULTS, host, recorder, MonotonicClock.SYSTEM,
                () -> null, () -> null, new VerboseSwitches(host, out.resolve("kmsg"), out.resolve(".v")));
        return new Bundler(out.resolve(".staging"), out.resolve("bundles"), catalog, new CaptureRunner(),
                CaptureSettings.DEFAULTS, recorder, new Manifest.NodeInfo("n", "k", "v"), MonotonicClock.SYSTEM);
    }
}
