package dev.aod.e2e.guest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * A qemu guest booted from a {@link GuestImage}, talking to the host through a 9p share.
  *
  * <p>The share directory is {@code /host} in the guest. The guest writes {@code ready} there when
  * it has set everything up (see {@code guest/guest-init} for the protocol), its log
  * {@code guest-init.log}, and runs the scripts that {@link #exec} puts in {@code cmd/}.
  */
public final class GuestVm implements AutoCloseable {
        private static final Logger LOG = LoggerFactory.getLogger(GuestVm.class);
        private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
        private static final Duration POWEROFF_TIMEOUT = Duration.ofSeconds(60);
        private static final Pattern HARDWARE_VIRTUALIZATION =
                        Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE);
        private static final int TAIL_LINES = 40;

        private final Process qemu;
        private final Path shareDir;
        private final Path commandDir;
        private final Path overlay;
        private final Path consoleLog;
        private final Path qemuLog;
        private String kernelRelease;
        private int nextCommand = 1;

        private GuestVm(Process qemu, Path shareDir, Path overlay, Path consoleLog, Path qemuLog) {
                this.qemu = qemu;
                this.shareDir = shareDir;
                this.commandDir = shareDir.resolve("cmd");
                this.overlay = overlay;
                this.consoleLog = consoleLog;
                this.qemuLog = qemuLog;
        }

        /**
          * Boots a guest and waits until it has written {@code ready}. The root disk is a throwaway
          * overlay in a new directory next to {@code shareDir}, which also keeps {@code console.log}.
          * Kernel arguments such as {@code aod.nomount} are passed through to guest-init.
          */
        public static GuestVm boot(GuestImage image, Path shareDir, Duration readyTimeout, String... extraKernelArgs)
                        throws IOException, InterruptedException {
                Path share = shareDir.toAbsolutePath().normalize();
                Files.createDirectories(share);
                deleteRecursively(share.resolve("cmd"));
                Files.deleteIfExists(share.resolve("ready"));
                Files.deleteIfExists(share.resolve("guest-init.log"));

                Path vmDir = Files.createTempDirectory(share.getParent(), share.getFileName() + "-vm-");
                Path overlay = vmDir.resolve("rootfs-overlay.qcow2");
                Path consoleLog = vmDir.resolve("console.log");
                Path qemuLog = vmDir.resolve("qemu.log");
                createOverlay(image.rootfs(), overlay, vmDir.resolve("qemu-img.log"));

                List<String> kernelArgs = new ArrayList<>(List.of("console=ttyS0", "root=/dev/vda", "rw", "panic=-1"));
                kernelArgs.addAll(List.of(extraKernelArgs));
                List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-name", "aod-e2e"));
                command.addAll(accelerationArgs());
                command.addAll(List.of(
                                "-m", "3072",
                                "-smp", "2",
                                "-nographic",
                                "-no-reboot",
                                "-monitor", "none",
                                "-serial", "file:" + consoleLog,
                                "-kernel", image.kernel().toString(),
                                "-initrd", image.initrd().toString(),
                                "-append", String.join(" ", kernelArgs),
                                "-drive", "file=" + overlay + ",format=qcow2,if=virtio,cache=unsafe",
                                "-virtfs", "local,path=" + share + ",mount_tag=host,security_model=none,id=host",
                                "-netdev", "user,id=n0",
                                "-device", "virtio-net-pci,netdev=n0,romfile=",
                                "-device", "virtio-rng-pci"));
                LOG.info("Booting the guest (console: {}): {}", consoleLog, String.join(" ", command));
                Process qemu = new ProcessBuilder(command)
                                .redirectInput(Redirect.from(new File("/dev/null")))
                                .redirectErrorStream(true)
                                .redirectOutput(qemuLog.toFile())
                                .start();
                GuestVm vm = new GuestVm(qemu, share, overlay, consoleLog, qemuLog);
                try {
                        vm.awaitReady(readyTimeout);
                } catch (RuntimeException | InterruptedException e) {
                        vm.kill();
                        throw e;
                }
                return vm;
        }

        /** KVM only where it works: /dev/kvm without VMX/SVM (nested setups) hangs a stock kernel. */
        static List<String> accelerationArgs() throws IOException {
                Path kvm = Path.of("/dev/kvm");
                boolean kvmUsable = Files.isReadable(kvm)
                                && Files.isWritable(kvm)
                                && HARDWARE_VIRTUALIZATION.matcher(Files.readString(Path.of("/proc/cpuinfo"))).find();
                return kvmUsable
                                ? List.of("-accel", "kvm", "-cpu", "host")
                                : List.of("-accel", "tcg,thread=multi", "-cpu", "max");
        }

        private static void createOverlay(Path rootfs, Path overlay, Path log) throws IOException, InterruptedException {
                Process qemuImg = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2",
                                                "-b", rootfs.toAbsolutePath().toString(), "-F", "raw", overlay.toString())
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile())
                                .start();
                if (!qemuImg.waitFor(60, TimeUnit.SECONDS) || qemuImg.exitValue() != 0) {
                        qemuImg.destroyForcibly();
                        throw new IllegalStateException("qemu-img cannot create " + overlay + "\n" + E2ePaths.tail(log, 20));
                }
        }

        private void awaitReady(Duration timeout) throws InterruptedException {
                Path ready = shareDir.resolve("ready");
                long started = System.nanoTime();
                long deadline = started + timeout.toNanos();
                while (!Files.exists(ready)) {
                        if (!qemu.isAlive()) {
                                throw new IllegalStateException(
                                                "qemu exited (" + qemu.exitValue() + ") before the guest was ready\n" + diagnostics());
                        }
                        if (System.nanoTime() > deadline) {
                                throw new IllegalStateException("the guest was not ready within " + timeout + "\n" + diagnostics());
                        }
                        Thread.sleep(POLL_INTERVAL.toMillis());
                }
                kernelRelease = readString(ready).trim();
                LOG.info("Guest ready after {} ms, kernel {}", (System.nanoTime() - started) / 1_000_000, kernelRelease);
        }

        /**
          * Runs a bash script in the guest (cwd /, stdin /dev/null), one script at a time. A script must
          * start long-running processes in the background itself, e.g. {@code setsid cmd >log 2>&1 &}.
          */
        public synchronized ExecResult exec(String bashScript, Duration timeout) {
                String id = String.format("%04d", nextCommand++);
                Path script = commandDir.resolve(id + ".sh");
                Path exitCode = commandDir.resolve(id + ".rc");
                try {
                        Files.createDirectories(commandDir);
                        Path partial = commandDir.resolve(id + ".sh.tmp");
                        Files.writeString(partial, bashScript, StandardCharsets.UTF_8);
                        Files.move(partial, script, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                        throw new UncheckedIOException("cannot hand " + script + " to the guest", e);
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                try {
                        while (!Files.exists(exitCode)) {
                                if (!qemu.isAlive()) {
                                        throw new IllegalStateException(
                                                        "the guest died while running command " + id + ":\n" + bashScript + "\n" + diagnostics());
                                }
                                if (System.nanoTime() > deadline) {
                                        throw new IllegalStateException("command " + id + " did not finish within " + timeout + ":\n"
                                                        + bashScript + "\n"
                                                        + E2ePaths.tail(commandDir.resolve(id + ".out"), TAIL_LINES)
                                                        + E2ePaths.tail(commandDir.resolve(id + ".err"), TAIL_LINES)
                                                        + diagnostics());
                                }
                                Thread.sleep(POLL_INTERVAL.toMillis());
                        }
                } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for command " + id, e);
                }
                return new ExecResult(
                                Integer.parseInt(readString(exitCode).trim()),
                                readString(commandDir.resolve(id + ".out")),
                                readString(commandDir.resolve(id + ".err")));
        }

        /** Runs a script that must succeed, and returns its stdout. */
        public String run(String bashScript, Duration timeout) {
                ExecResult result = exec(bashScript, timeout);
                if (!result.succeeded()) {
                        throw new IllegalStateException("guest command failed:\n" + bashScript + "\n" + result);
                }
                return result.stdout();
        }

        public Path shareDir() {
                return shareDir;
        }

        public Path consoleLog() {
                return consoleLog;
        }

        public Path guestInitLog() {
                return shareDir.resolve("guest-init.log");
        }

        public String kernelRelease() {
                return kernelRelease;
        }

        public boolean isRunning() {
                return qemu.isAlive();
        }

        /** Asks the guest to power off, waits for qemu to exit (killing it if it does not), drops the overlay. */
        @Override
        public void close() {
                try {
                        if (qemu.isAlive()) {
                                Files.createDirectories(commandDir);
                                Files.writeString(commandDir.resolve("poweroff"), "");
                                if (!qemu.waitFor(POWEROFF_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                                        LOG.warn("The guest did not power off within {}; killing qemu", POWEROFF_TIMEOUT);
                                }
                        }
                } catch (IOException e) {
                        LOG.warn("Cannot ask the guest to power off; killing qemu", e);
                } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                } finally {
                        kill();
                }
        }

        private void kill() {
                try {
                        if (qemu.isAlive()) {
                                qemu.destroy();
                                if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                                        qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                                }
                        }
                        Files.deleteIfExists(overlay);
                } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                } catch (IOException e) {
                        LOG.warn("Cannot delete {}", overlay, e);
                }
        }

        private String diagnostics() {
                return E2ePaths.tail(qemuLog, 10)
                                + E2ePaths.tail(consoleLog, TAIL_LINES)
                                + E2ePaths.tail(guestInitLog(), TAIL_LINES);
        }

        private static String readString(Path file) {
                try {
                        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + file, e);
                }
        }

        private static void deleteRecursively(Path dir) throws IOException {
                if (!Files.exists(dir)) {
                        return;
                }
                try (Stream<Path> paths = Files.walk(dir)) {
                        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                                Files.delete(path);
                        }
                }
        }
}
