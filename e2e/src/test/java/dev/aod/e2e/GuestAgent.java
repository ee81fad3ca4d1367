package dev.aod.e2e;

import dev.aod.e2e.guest.AgentJar;
import dev.aod.e2e.guest.E2ePaths;
import dev.aod.e2e.guest.GuestImage;
import dev.aod.e2e.guest.GuestVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged node agent running inside the guest, with its own case directory on the share:
 * {@code /host/<case>/config.yaml}, {@code agent.log}, and the output directory {@code out/}.
 */
final class GuestAgent implements AutoCloseable {
    private final GuestVm guest;
    private final String name;
    private final Path hostDir;

    private GuestAgent(GuestVm guest, String name) {
        this.guest = guest;
        this.name = name;
        this.hostDir = guest.shareDir().resolve(name);
    }

    /** Boots a guest for one test class (its share under target/e2e/share-&lt;name&gt;) with the agent jar installed. */
    static GuestVm bootWithAgent(String name) throws IOException, InterruptedException {
        GuestVm guest = GuestVm.boot(GuestImage.ensureBuilt(), E2ePaths.targetDir().resolve("share-" + name),
                Duration.ofMinutes(5));
        install(guest);
        return guest;
    }

    /** Copies the agent jar onto the share once per guest; the guest sees it as /host/agent/aod-agent.jar. */
    static void install(GuestVm guest) throws IOException {
        AgentJar.install(guest);
    }

    /** Starts the agent with {@code config} (an AODv2 config.yaml whose output goes to /host/&lt;name&gt;/out) and waits until it watches. */
    static GuestAgent start(GuestVm guest, String name, String config, Duration timeout)
            throws IOException, InterruptedException {
        return launch(guest, name, Map.of("config.yaml", config), "", "run --config /host/" + name + "/config.yaml",
                timeout);
    }

    /**
     * Starts the agent in Kubernetes mode as node {@code node}, its API server given by
     * {@code kubeconfig} (written to /host/&lt;name&gt;/kubeconfig), and waits until it watches.
     */
    static GuestAgent startKubernetes(GuestVm guest, String name, String kubeconfig, String node, String namespace,
            Duration timeout) throws IOException, InterruptedException {
        return launch(guest, name, Map.of("kubeconfig", kubeconfig), "KUBECONFIG=/host/" + name + "/kubeconfig",
                "run --kubernetes --node-name " + node + " --namespace " + namespace, timeout);
    }

    private static GuestAgent launch(GuestVm guest, String name, Map<String, String> files, String env, String args,
            Duration timeout) throws IOException, InterruptedException {
        GuestAgent agent = new GuestAgent(guest, name);
        deleteRecursively(agent.hostDir);
        Files.createDirectories(agent.hostDir);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(agent.hostDir.resolve(f.getKey()), f.getValue());
        }
        guest.run("""
                cd /host/%1$s
                %2$s setsid %3$s \
                    %4$s >/host/%1$s/agent.log 2>&1 </dev/null &
                echo $! >/host/%1$s/agent.pid
                """.formatted(name, env, AgentJar.JAVA, args), Duration.ofSeconds(30));
        agent.awaitLog("watching;", timeout);
        return agent;
    }

    /** The guest path of this case's output directory, for the config. */
    static String outputDir(String name) {
        return "/host/" + name + "/out";
    }

    String log() throws IOException {
        Path log = hostDir.resolve("agent.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the agent did not log \"" + text + "\" within " + timeout + "\n"
                        + E2ePaths.tail(hostDir.resolve("agent.log"), 60));
            }
            Thread.sleep(200);
        }
    }

    /** Finished bundles, in AODv2's layout (out/batches) or AOD's (out/bundles). */
    List<Path> bundles() throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        for (String layout : List.of("out/batches", "out/bundles")) {
            Path dir = hostDir.resolve(layout);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(p -> p.getFileName().toString().endsWith(".tar.zst")
                            && !p.getFileName().toString().startsWith(".")).forEach(found::add);
                }
            }
        }
        return found.stream().sorted().toList();
    }

    Path awaitBundle(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bundles().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no bundle within " + timeout + "\n" + E2ePaths.tail(hostDir.resolve("agent.log"), 60));
            }
            Thread.sleep(500);
        }
        return bundles().get(0);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Stops the agent with SIGTERM and waits for it to finish its bundles and exit. */
    @Override
    public void close() {
        guest.exec("""
                pid=$(cat /host/%s/agent.pid)
                kill -TERM "$pid" 2>/dev/null || exit 0
                for i in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
                kill -KILL "$pid"
                """.formatted(name), Duration.ofMinutes(2));
    }
}
