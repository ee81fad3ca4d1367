package dev.aod.images;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container run with containerd's {@code ctr}, configured the way the kubelet's CRI configures a
 * pod's container ({@link #fromPod}): explicit capabilities on top of none, the seccomp profile, no
 * new privileges, a read-only root file system, host namespaces and mounts.
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

    /**
     * The (only) container of POD with IMAGE: its capabilities ({@code drop: [ALL]} and what it adds),
     * seccomp profile, privilege escalation, read-only root file system, memory limit and environment
     * (FIELD_REFS gives the values of {@code fieldRef}s), the pod's host network and PID namespace, its
     * hostPath volumes as bind mounts (a node path in NODE_DIRS is that directory of the test's instead)
     * and emptyDirs as tmpfs. Anything else is refused rather than left out.
     */
    static Spec fromPod(String image, PodSpec pod, Map<String, Path> nodeDirs, Map<String, String> fieldRefs) {
        if (pod.getContainers().size() != 1 || pod.getInitContainers() != null && !pod.getInitContainers().isEmpty()) {
            throw new IllegalArgumentException("one container and no init containers expected: " + pod);
        }
        Container c = pod.getContainers().get(0);
        SecurityContext sc = c.getSecurityContext();
        if (Boolean.TRUE.equals(sc.getPrivileged())) {
            throw new IllegalArgumentException("a privileged container cannot run on this machine: its capability "
                    + "bounding set lacks CAP_SYS_RESOURCE (see docs/images.md)");
        }
        if (sc.getRunAsUser() != null && sc.getRunAsUser() != 0L || pod.getSecurityContext() != null) {
            throw new IllegalArgumentException("only root containers without a pod security context are supported");
        }
        Capabilities caps = sc.getCapabilities();
        if (caps == null || !caps.getDrop().equals(List.of("ALL"))) {
            throw new IllegalArgumentException("only capabilities with drop: [ALL] are supported: " + caps);
        }
        Spec spec = new Spec(image).capabilities(caps.getAdd());
        String seccomp = sc.getSeccompProfile() == null ? "RuntimeDefault" : sc.getSeccompProfile().getType();
        switch (seccomp) {
            case "RuntimeDefault" -> { }
            case "Unconfined" -> spec.seccompUnconfined();
            default -> throw new IllegalArgumentException("seccomp profile " + seccomp + " is not supported");
        }
        if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            spec.options.add("--allow-new-privs");
        }
        if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            spec.readOnlyRoot();
        }
        if (Boolean.TRUE.equals(pod.getHostNetwork())) {
            spec.hostNetwork();
        }
        if (Boolean.TRUE.equals(pod.getHostPID())) {
            spec.hostPid();
        }
        Quantity memory = c.getResources() == null || c.getResources().getLimits() == null ? null
                : c.getResources().getLimits().get("memory");
        if (memory != null) {
            spec.memoryLimit(Quantity.getAmountInBytes(memory).longValueExact());
        }
        for (EnvVar e : c.getEnv()) {
            String value = e.getValueFrom() == null ? e.getValue() : fieldRefs.get(e.getValueFrom().getFieldRef().getFieldPath());
            if (value == null) {
                throw new IllegalArgumentException("no value for " + e);
            }
            spec.env(e.getName(), value);
        }
        for (VolumeMount m : c.getVolumeMounts()) {
            Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no volume " + m.getName()));
            if (v.getHostPath() != null) {
                String path = v.getHostPath().getPath();
                spec.bind(nodeDirs.containsKey(path) ? nodeDirs.get(path).toString() : path, m.getMountPath(),
                        Boolean.TRUE.equals(m.getReadOnly()));
            } else if (v.getEmptyDir() != null && v.getEmptyDir().getSizeLimit() != null) {
                spec.tmpfs(m.getMountPath(), Quantity.getAmountInBytes(v.getEmptyDir().getSizeLimit()).longValueExact());
            } else {
                throw new IllegalArgumentException("volume " + v.getName() + " is not supported: " + v);
            }
        }
        return spec;
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

        /** The capabilities added to none. */
        List<String> capabilities() {
            return List.copyOf(capabilities);
        }

        Spec withoutCapability(String name) {
            capabilities.remove(name);
            return this;
        }

        Spec bind(String source, String target, boolean readOnly) {
            options.add("--mount");
            options.add("type=bind,src=" + source + ",dst=" + target + ",options=rbind:" + (readOnly ? "ro" : "rw"));
            return this;
        }

        Spec tmpfs(String target, long bytes) {
            options.add("--mount");
            options.add("type=tmpfs,src=tmpfs,dst=" + target + ",options=nosuid:nodev:mode=1777:size=" + bytes);
            return this;
        }

        /** seccompProfile Unconfined instead of RuntimeDefault. */
        Spec seccompUnconfined() {
            seccomp = false;
            return this;
        }

        /** seccompProfile RuntimeDefault: containerd's default profile. */
        Spec seccompRuntimeDefault() {
            seccomp = true;
            return this;
        }

        Spec env(String name, String value) {
            options.addAll(List.of("--env", name + "=" + value));
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
