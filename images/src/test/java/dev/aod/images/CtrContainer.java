package dev.aod.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container run with containerd's {@code ctr}, configured the way the kubelet's CRI would
 * configure the pod the chart describes: explicit capabilities on top of none, containerd's default
 * seccomp profile (RuntimeDefault), no new privileges, a read-only root file system and host mounts.
 */
final class CtrContainer implements AutoCloseable {
    /** containerd's default capability set (what a pod gets without {@code drop: [ALL]}). */
    static final List<String> CONTAINERD_DEFAULT_CAPS = List.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
            "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
            "AUDIT_WRITE");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final LocalEngine engine;
    private final String id;
    private final Process process;
    private final Path log;

    private CtrContainer(LocalEngine engine, String id, Process process, Path log) {
        this.engine = engine;
        this.id = id;
        this.process = process;
        this.log = log;
    }

    static Spec spec(String image) {
        return new Spec(image);
    }

    static final class Spec {
        private final String image;
        private final Set<String> capabilities = new LinkedHashSet<>();
        private final List<String> options = new ArrayList<>();
        private boolean seccomp = true;

        private Spec(String image) {
            this.image = image;
        }

        Spec capabilities(List<String> names) {
            capabilities.addAll(names);
            return this;
        }

        Spec bind(String source, String target, boolean readOnly) {
            options.add("--mount");
            options.add("type=bind,src=" + source + ",dst=" + target + ",options=rbind:" + (readOnly ? "ro" : "rw"));
            return this;
        }

        Spec tmpfs(String target) {
            options.add("--mount");
            options.add("type=tmpfs,src=tmpfs,dst=" + target + ",options=nosuid:nodev:mode=1777:size=67108864");
            return this;
        }

        /** seccompProfile Unconfined instead of RuntimeDefault. */
        Spec seccompUnconfined() {
            seccomp = false;
            return this;
        }

        Spec hostNetwork() {
            options.add("--net-host");
            return this;
        }

        Spec hostPid() {
            options.add("--with-ns");
            options.add("pid:/proc/1/ns/pid");
            return this;
        }

        Spec readOnlyRoot() {
            options.add("--read-only");
            return this;
        }

        Spec memoryLimit(long bytes) {
            options.add("--memory-limit");
            options.add(Long.toString(bytes));
            return this;
        }

        private List<String> runCommand(String id, List<String> command) {
            List<String> args = new ArrayList<>(List.of("run", "--rm"));
            if (seccomp) {
                args.add("--seccomp");
            }
            CONTAINERD_DEFAULT_CAPS.stream().filter(c -> !capabilities.contains(c))
                    .forEach(c -> args.addAll(List.of("--cap-drop", "CAP_" + c)));
            capabilities.stream().filter(c -> !CONTAINERD_DEFAULT_CAPS.contains(c))
                    .forEach(c -> args.addAll(List.of("--cap-add", "CAP_" + c)));
            args.addAll(options);
            args.add(image);
            args.add(id);
            args.addAll(command);
            return args;
        }
    }

    /** Runs COMMAND (the whole process: entrypoint and arguments) to completion. */
    static Commands.Result run(LocalEngine engine, Spec spec, List<String> command, Duration timeout)
            throws IOException, InterruptedException {
        String id = "aod-it-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        return Commands.run(timeout, engine.ctrCommand(spec.runCommand(id, command).toArray(String[]::new)));
    }

    /** Starts COMMAND in the background; its output goes to LOG. */
    static CtrContainer start(LocalEngine engine, Spec spec, List<String> command, Path log) throws IOException {
        String id = "aod-it-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        Process process = new ProcessBuilder(engine.ctrCommand(spec.runCommand(id, command).toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new CtrContainer(engine, id, process, log);
    }

    String id() {
        return id;
    }

    boolean isRunning() {
        return process.isAlive();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    Commands.Result exec(Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("tasks", "exec", "--exec-id", "x" + SEQUENCE.incrementAndGet(), id));
        args.addAll(List.of(command));
        return engine.ctr(timeout, args.toArray(String[]::new));
    }

    /** SIGTERM, as the kubelet stops a pod; returns the exit status. */
    int stop(Duration grace) throws IOException, InterruptedException {
        engine.ctr(Duration.ofSeconds(30), "tasks", "kill", "--signal", "SIGTERM", id);
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(id + " did not stop within " + grace + " of SIGTERM:\n"
                    + Commands.tail(log()));
        }
        return process.exitValue();
    }

    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                engine.ctr(Duration.ofSeconds(30), "tasks", "kill", "--signal", "SIGKILL", id);
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            engine.ctr(Duration.ofSeconds(30), "tasks", "delete", "--force", id);
            engine.ctr(Duration.ofSeconds(30), "containers", "delete", id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing container " + id, e);
        }
    }
}
