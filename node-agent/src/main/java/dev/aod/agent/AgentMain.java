package dev.aod.agent;

import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.HostPaths;
import dev.aod.agent.kube.KubernetesMode;
import dev.aod.agent.report.StatusServer;
import dev.aod.agent.ship.ShipStage;
import dev.aod.agent.source.BpfEventSource;
import dev.aod.agent.source.EventSource;
import dev.aod.agent.source.MountResolver;
import dev.aod.agent.source.ResolvedMounts;
import dev.aod.agent.source.SyntheticEventSource;
import dev.aod.bpf.Tracefs;
import dev.aod.config.ConfigLoader;
import dev.aod.config.ConfigWriter;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.LoadedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "aod-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Always-on diagnostics for the Linux SMB and NFS clients: watches the kernel clients, "
                + "captures evidence when a request is slow or fails, and writes it as a .tar.zst bundle.",
        subcommands = {AgentMain.Run.class, AgentMain.CheckConfig.class, ProbesCommand.class, TraceCommand.class})
public final class AgentMain {
    static final int EXIT_FAILED = 1;
    static final int EXIT_INVALID_CONFIG = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new AgentMain())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("aod-agent: " + e.getMessage());
                    return EXIT_FAILED;
                });
    }

    static LoadedConfig loadConfig(Path file) throws InvalidConfigException {
        return file == null ? ConfigLoader.loadDefault() : ConfigLoader.load(file);
    }

    static int invalid(CommandLine.Model.CommandSpec spec, InvalidConfigException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(e.source() + ": invalid configuration, " + e.errors().size() + " error(s):");
        e.errors().forEach(error -> err.println("  " + error));
        return EXIT_INVALID_CONFIG;
    }

    @Command(name = "run", description = "Run the agent until stopped (SIGTERM or Ctrl-C).")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "an AgentConfig or an AODv2 config.yaml, "
                + "re-read when it changes; without it the embedded default (AODv2's shipped config.yaml)")
        Path config;

        @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:AOD_LOG_FORMAT:-text}",
                description = "text or json (default: $AOD_LOG_FORMAT, else text)")
        String logFormat;

        @Option(names = "--events", paramLabel = "FILE", description = "replay events from FILE (JSON lines) "
                + "instead of loading the kernel probes: for demos and drills")
        Path events;

        @Option(names = "--host-root", paramLabel = "DIR", description = "where the host's /proc, /sys, /etc and "
                + "/var/log are mounted, when the agent runs in a container (default: /)")
        Path hostRoot;

        @Option(names = "--kubernetes", description = "take the config from this node's ConfigMap (written by the "
                + "operator) and write AnomalyPolicyNode statuses and AnomalyEvents (docs/kubernetes.md)")
        boolean kubernetes;

        @Option(names = "--node-name", paramLabel = "NODE", defaultValue = "${env:NODE_NAME}",
                description = "this node's name in Kubernetes mode (default: $NODE_NAME, from the downward API)")
        String nodeName;

        @Option(names = "--namespace", paramLabel = "NAMESPACE", defaultValue = "${env:POD_NAMESPACE}",
                description = "the agent namespace in Kubernetes mode (default: $POD_NAMESPACE, else aod-system)")
        String namespace;

        @Override
        public Integer call() throws Exception {
            Logging.Format format;
            try {
                format = Logging.Format.valueOf(logFormat.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("--log-format: must be text or json (got \"" + logFormat + "\")");
                return EXIT_INVALID_CONFIG;
            }
            Logging.configure(format);
            Logger log = LoggerFactory.getLogger(AgentMain.class);
            LoadedConfig loaded;
            try {
                loaded = loadConfig(config);
            } catch (InvalidConfigException e) {
                return invalid(spec, e);
            }
            KubernetesMode kube = null;
            if (kubernetes) {
                kube = KubernetesMode.connect(nodeName, namespace);
                loaded = kube.initialConfig(config == null ? null : loaded);
            }
            log.info("aod-agent {} starting with {} ({})", Version.current(), loaded.source(), loaded.format());
            loaded.notices().forEach(n -> log.info("config notice: {}", n));

            EventSource source;
            if (events != null) {
                SyntheticEventSource synthetic = new SyntheticEventSource();
                EventReplay.start(EventReplay.read(events), synthetic);
                source = synthetic;
            } else {
                source = new BpfEventSource();
            }
            HostPaths host = hostRoot == null ? HostPaths.REAL : new HostPaths(hostRoot.resolve("proc"),
                    hostRoot.resolve("sys"), hostRoot.resolve("etc"), hostRoot.resolve("var/log"));
            Agent agent = Agent.builder(loaded, source)
                    .host(host)
                    .tracefs(events == null ? AgentMain::tracefs : () -> null)
                    .node(NodeFacts.nodeInfo(host))
                    .mounts(new ResolvedMounts(mountResolver(host)))
                    .build();
            ShipStage ship = ShipStage.start(loaded.config(), agent.metrics());
            agent.shippingState(ship);
            agent.shippingStatus(() -> ship.status().orElse(null));
            agent.onBundle(ship);
            try {
                agent.start();
            } catch (IOException e) {
                log.error("cannot start: {}", e.toString());
                agent.close();
                ship.close();
                return EXIT_FAILED;
            }
            if (kube != null) {
                kube.start(agent, ship, host);
            }
            StatusServer server = null;
            var metrics = loaded.config().metrics();
            if (metrics.enabled()) {
                try {
                    server = new StatusServer(metrics.address(), metrics.port(), agent.metrics(), agent::status,
                            agent::healthy, agent::ready);
                    log.info("metrics and status on http://{}:{}/ (metrics, healthz, readyz, status)", metrics.address(),
                            server.port());
                } catch (IOException e) {
                    log.error("the status endpoint cannot listen on {}:{}: {}", metrics.address(), metrics.port(),
                            e.toString());
                }
            }
            ConfigWatcher watcher = null;
            if (config != null) {
                watcher = new ConfigWatcher(config, Files.readAllBytes(config), next -> {
                    try {
                        agent.reconfigure(next);
                        ship.reconfigure(next.config());
                        agent.metrics().configReload("applied");
                    } catch (IOException e) {
                        agent.rejected(java.util.List.of(e.toString()));
                        agent.metrics().configReload("failed");
                        log.error("configuration {} could not be applied: {}", next.source(), e.toString());
                    }
                }, rejected -> {
                    agent.rejected(rejected.errors().stream().map(Object::toString).toList());
                    agent.metrics().configReload("rejected");
                });
                watcher.start(2000);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            StatusServer serverRef = server;
            ConfigWatcher watcherRef = watcher;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("stopping");
                if (watcherRef != null) {
                    watcherRef.close();
                }
                agent.close();
                ship.close();
                if (serverRef != null) {
                    serverRef.close();
                }
                log.info("stopped");
                stopped.countDown();
            }, "aod-shutdown"));
            log.info("watching; bundles go to {}", loaded.config().bundleDir());
            stopped.await();
            return 0;
        }
    }

    private static MountResolver mountResolver(HostPaths host) {
        return new MountResolver(host.proc().resolve("fs/cifs/DebugData"), host.mountTable("mountinfo"),
                host.debugfs().resolve("sunrpc"), System::nanoTime);
    }

    private static Path tracefs() {
        try {
            return Tracefs.ensureMounted();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(AgentMain.class).warn("tracefs: {}", e.getMessage());
            return null;
        }
    }

    @Command(name = "check-config", description = "Validate a configuration and print the effective settings.")
    static final class CheckConfig implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE",
                description = "an AgentConfig or an AODv2 config.yaml (default: the embedded one)")
        Path file;

        @Override
        public Integer call() {
            LoadedConfig loaded;
            try {
                loaded = loadConfig(file);
            } catch (InvalidConfigException e) {
                return invalid(spec, e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("# " + loaded.source() + ": valid (" + loaded.format() + ")");
            if (!loaded.notices().isEmpty()) {
                out.println("# notices:");
                loaded.notices().forEach(n -> out.println("#   " + n));
            }
            out.println("# effective settings, in AOD's own format:");
            out.print(ConfigWriter.toYaml(loaded.config()));
            out.flush();
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        static String current() {
            String v = AgentMain.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"aod-agent " + current()};
        }
    }

    static final class NodeFacts {
        static Manifest.NodeInfo nodeInfo(HostPaths host) {
            return new Manifest.NodeInfo(read(host.proc().resolve("sys/kernel/hostname")),
                    read(host.proc().resolve("sys/kernel/osrelease")), Version.current());
        }

        private static String read(Path file) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
