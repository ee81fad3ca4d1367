package dev.aod.e2e.guest;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * The kernel, initramfs and root file system image that {@code guest/build-guest.sh} builds into
  * {@code $AOD_GUEST_CACHE} (default {@code ~/.cache/aod/guest}). The image is never modified: each
  * {@link GuestVm} writes to its own overlay.
  */
public record GuestImage(Path kernel, Path initrd, Path rootfs) {
        private static final Logger LOG = LoggerFactory.getLogger(GuestImage.class);
        private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
        private static GuestImage built;

        /** Builds the image unless the cache already holds a build of the current sources. */
        public static synchronized GuestImage ensureBuilt() throws IOException, InterruptedException {
                if (built == null) {
                        built = build(cacheDir());
                }
                return built;
        }

        public static Path cacheDir() {
                String configured = System.getenv("AOD_GUEST_CACHE");
                if (configured != null && !configured.isBlank()) {
                        return Path.of(configured).toAbsolutePath();
                }
                return Path.of(System.getProperty("user.home"), ".cache", "aod", "guest");
        }

        private static GuestImage build(Path cacheDir) throws IOException, InterruptedException {
                Path script = E2ePaths.moduleDir().resolve("guest/build-guest.sh");
                Path buildLog = E2ePaths.targetDir().resolve("guest-build.log");
                Files.createDirectories(buildLog.getParent());
                LOG.info("Ensuring the guest image in {} (log: {})", cacheDir, buildLog);
                long started = System.nanoTime();
                Process build = new ProcessBuilder("bash", script.toString(), cacheDir.toString())
                                .redirectInput(Redirect.from(new File("/dev/null")))
                                .redirectErrorStream(true)
                                .redirectOutput(buildLog.toFile())
                                .start();
                if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        build.descendants().forEach(ProcessHandle::destroy);
                        build.destroy();
                        throw new IllegalStateException("building the guest image took longer than " + BUILD_TIMEOUT + "\n"
                                        + E2ePaths.tail(buildLog, 60));
                }
                if (build.exitValue() != 0) {
                        throw new IllegalStateException("building the guest image failed (exit " + build.exitValue() + ")\n"
                                        + E2ePaths.tail(buildLog, 60));
                }
                LOG.info("Guest image ready after {} s", (System.nanoTime() - started) / 1_000_000_000);
                return new GuestImage(cacheDir.resolve("vmlinuz"), cacheDir.resolve("initrd.img"), cacheDir.resolve("rootfs.img"));
        }
}
