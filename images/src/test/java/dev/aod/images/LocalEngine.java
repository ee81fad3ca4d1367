package dev.aod.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Docker engine of the tests' own: Debian's containerd and dockerd, started by hand (this machine
 * has no init system), with their storage under the build directory and their sockets in a short
 * directory under /tmp. It shares nothing with an engine that may already run here (own sockets,
 * pid file, data root, no bridge and no iptables rules: containers use the host network), so
 * concurrent test runs do not collide. {@link #close} stops both daemons and removes their state.
 *
 * <p>Docker 20.10 (Debian 12) rejects CAP_BPF and CAP_PERFMON ("unknown capability"), so the agent
 * runs through this engine's containerd with {@code ctr} (as the kubelet's CRI does), while the
 * images are built with {@code docker} and the operator runs through Testcontainers.
 */
final class LocalEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);
    static final String CTR_NAMESPACE = "aod-it";
    private static final String RUN_DIR_PREFIX = "aod-engine-";
    private static final String OWNER_FILE = "owner";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path runDir;
    private final Path dataDir;
    private final Process containerd;
    private final Process dockerd;
    private final Map<String, String> copied = new HashMap<>();
    /** When the JVM is stopped before the run ends (Ctrl-C, a fork timeout), the daemons go with it. */
    private final Thread onExit;

    private LocalEngine(Path runDir, Path dataDir, Process containerd, Process dockerd) {
        this.runDir = runDir;
        this.dataDir = dataDir;
        this.containerd = containerd;
        this.dockerd = dockerd;
        this.onExit = new Thread(() -> {
            dockerd.destroy();
            containerd.destroy();
        }, "aod-engine-exit");
    }

    static LocalEngine start(Path work) throws IOException, InterruptedException {
        for (String tool : List.of("containerd", "dockerd", "docker", "ctr")) {
            if (Commands.run(Duration.ofSeconds(10), List.of("sh", "-c", "command -v " + tool)).exitCode() != 0) {
                throw new IllegalStateException(tool + " is not installed: run scripts/install-prereqs "
                        + "(docker.io containerd runc iptables)");
            }
        }
        removeStaleEngines();
        Path dataDir = work.resolve("engine");
        removeTree(dataDir);
        Files.createDirectories(dataDir);
        // Unix socket paths are limited to 108 bytes; the build directory may be deep.
        Path runDir = Files.createTempDirectory(Path.of("/tmp"), RUN_DIR_PREFIX);
        Files.writeString(runDir.resolve(OWNER_FILE), ProcessHandle.current().pid() + "\n" + dataDir + "\n");
        Path containerdConfig = runDir.resolve("containerd.toml");
        Files.writeString(containerdConfig, """
                version = 2
                root = "%s"
                state = "%s"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "%s"
                [ttrpc]
                  address = "%s"
                [debug]
                  address = ""
                """.formatted(dataDir.resolve("containerd"), runDir.resolve("containerd-state"),
                runDir.resolve("containerd.sock"), runDir.resolve("containerd.sock.ttrpc")));
        Path dockerdConfig = runDir.resolve("daemon.json");
        Files.writeString(dockerdConfig, "{}\n");

        long started = System.nanoTime();
        Process containerd = new ProcessBuilder("containerd", "--config", containerdConfig.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("containerd.log").toFile()).start();
        Process dockerd = null;
        try {
            waitFor(() -> Files.exists(runDir.resolve("containerd.sock")), containerd, work.resolve("containerd.log"),
                    "containerd");
            dockerd = new ProcessBuilder("dockerd",
                    "--config-file", dockerdConfig.toString(),
                    "--containerd", runDir.resolve("containerd.sock").toString(),
                    "--data-root", dataDir.resolve("docker").toString(),
                    "--exec-root", runDir.resolve("docker").toString(),
                    "--pidfile", runDir.resolve("docker.pid").toString(),
                    "--host", "unix://" + runDir.resolve("docker.sock"),
                    "--bridge=none", "--iptables=false", "--ip-masq=false")
                    .redirectErrorStream(true).redirectOutput(work.resolve("dockerd.log").toFile()).start();
            LocalEngine engine = new LocalEngine(runDir, dataDir, containerd, dockerd);
            Runtime.getRuntime().addShutdownHook(engine.onExit);
            waitFor(() -> engine.docker(Duration.ofSeconds(10), "version").ok(), dockerd,
                    work.resolve("dockerd.log"), "dockerd");
            LOG.info("docker engine up in {} ms: {} (containerd {})", (System.nanoTime() - started) / 1_000_000,
                    engine.dockerHost(), engine.containerdAddress());
            return engine;
        } catch (RuntimeException | IOException | InterruptedException e) {
            stop(dockerd, "dockerd");
            stop(containerd, "containerd");
            cleanUp(runDir, dataDir);
            throw e;
        }
    }

    String dockerHost() {
        return "unix://" + runDir.resolve("docker.sock");
    }

    Path containerdAddress() {
        return runDir.resolve("containerd.sock");
    }

    Map<String, String> dockerEnv() {
        return Map.of("DOCKER_HOST", dockerHost());
    }

    Commands.Result docker(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return Commands.run(timeout, dockerEnv(), command);
    }

    List<String> ctrCommand(String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", containerdAddress().toString(),
                "--namespace", CTR_NAMESPACE));
        command.addAll(List.of(args));
        return command;
    }

    Commands.Result ctr(Duration timeout, String... args) throws IOException, InterruptedException {
        return Commands.run(timeout, ctrCommand(args));
    }

    /**
     * Copies an image from Docker's image store into containerd's (namespace {@value #CTR_NAMESPACE}),
     * once per image ID; returns containerd's name for it.
     */
    synchronized String copyToContainerd(String image) throws IOException, InterruptedException {
        String id = docker(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Id}}", image).require()
                .stdout().strip();
        if (!id.equals(copied.get(image))) {
            Commands.run(Duration.ofMinutes(5), dockerEnv(), List.of("bash", "-c",
                    "set -euo pipefail; docker save \"$1\" | " + String.join(" ", ctrCommand("images", "import", "-")),
                    "copy", image)).require();
            copied.put(image, id);
        }
        return image.contains("/") && !image.split("/")[0].contains(".") ? "docker.io/" + image : image;
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting; the hook stops the daemons
        }
        try {
            stop(dockerd, "dockerd");
            stop(containerd, "containerd");
            cleanUp(runDir, dataDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the engine in " + runDir, e);
        }
    }

    /**
     * The engines of earlier runs whose JVM died without stopping them (SIGKILL): their daemons and
     * shims, found by their run directory in their arguments, then their directories.
     */
    private static void removeStaleEngines() throws IOException, InterruptedException {
        List<Path> runDirs;
        try (var dirs = Files.list(Path.of("/tmp"))) {
            runDirs = dirs.filter(d -> d.getFileName().toString().startsWith(RUN_DIR_PREFIX)).toList();
        }
        for (Path runDir : runDirs) {
            List<String> owner = Files.exists(runDir.resolve(OWNER_FILE))
                    ? Files.readAllLines(runDir.resolve(OWNER_FILE)) : List.of();
            if (!owner.isEmpty() && ProcessHandle.of(Long.parseLong(owner.get(0).strip())).isPresent()) {
                continue;
            }
            List<ProcessHandle> daemons = ProcessHandle.allProcesses()
                    .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(runDir.toString()))
                            .orElse(false))
                    .toList();
            LOG.warn("removing the engine a dead test run left in {} (processes {})", runDir,
                    daemons.stream().map(ProcessHandle::pid).toList());
            daemons.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : daemons) {
                p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            removeTree(runDir);
            if (owner.size() > 1) {
                removeTree(Path.of(owner.get(1).strip()));
            }
        }
    }

    private static void stop(Process process, String name) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            LOG.warn("{} did not stop within 60 s of SIGTERM; killing it", name);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void cleanUp(Path runDir, Path dataDir) throws IOException, InterruptedException {
        for (Path dir : List.of(runDir, dataDir)) {
            unmountUnder(dir);
            removeTree(dir);
        }
    }

    /** Overlay and shm mounts a killed engine may leave behind; rm would fail on them or cross into them. */
    static void unmountUnder(Path dir) throws IOException, InterruptedException {
        String prefix = dir.toAbsolutePath() + "/";
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8).stream()
                .map(line -> line.split(" ")[1].replace("\\040", " "))
                .filter(mountPoint -> mountPoint.startsWith(prefix))
                .sorted(Comparator.reverseOrder())
                .toList();
        for (String mountPoint : mounts) {
            Commands.Result r = Commands.run(Duration.ofSeconds(30), List.of("umount", "-l", mountPoint));
            if (!r.ok()) {
                LOG.warn("cannot unmount {}: {}", mountPoint, r.stderr().strip());
            }
        }
    }

    static void removeTree(Path dir) throws IOException, InterruptedException {
        if (Files.exists(dir)) {
            unmountUnder(dir);
            Commands.run(Duration.ofMinutes(2), List.of("rm", "-rf", "--one-file-system", dir.toString())).require();
        }
    }

    private interface Check {
        boolean done() throws IOException, InterruptedException;
    }

    private static void waitFor(Check check, Process daemon, Path log, String name)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!check.done()) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException(name + " exited " + daemon.exitValue() + " while starting:\n"
                        + Commands.tail(Files.readString(log)));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start within " + START_TIMEOUT + ":\n"
                        + Commands.tail(Files.readString(log)));
            }
            Thread.sleep(200);
        }
    }
}
