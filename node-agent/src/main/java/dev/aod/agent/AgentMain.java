package dev.aod.agent;

import dev.aod.agent.bundle.Bundler;
import dev.aod.agent.bundle.Manifest;
import dev.aod.agent.capture.ActionCatalog;
import dev.aod.agent.capture.CaptureRunner;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.source.BpfEventSource;
import dev.aod.agent.source.ProbeStatus;
import dev.aod.config.ConfigLoader;
import dev.aod.config.ConfigWriter;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.LoadedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "aod-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Always-on diagnostics for the Linux SMB and NFS clients: watches the kernel clients, "
                + "captures evidence when a request is slow, and writes it as a .tar.zst bundle.",
        subcommands = {AgentMain.Run.class, AgentMain.CheckConfig.class, ProbesCommand.class})
public final class AgentMain {
    static final int EXIT_INVALID_CONFIG = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new AgentMain())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("aod-agent: " + e.getMessage());
                    return 1;
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

        @Option(names = "--config", paramLabel = "FILE",
                description = "an AgentConfig or an AODv2 config.yaml; without it the embedded default (AODv2's shipped config.yaml)")
        Path config;

        @Override
        public Integer call() throws Exception {
            LoadedConfig loaded;
            try {
                loaded = loadConfig(config);
            } catch (InvalidConfigException e) {
                return invalid(spec, e);
            }
            var log = org.slf4j.LoggerFactory.getLogger(AgentMain.class);
            log.info("aod-agent {} starting with {} ({})", Version.current(), loaded.source(), loaded.format());
            loaded.notices().forEach(n -> log.info("config notice: {}", n));
            Files.createDirectories(loaded.config().bundleDir());

            CaptureRunner runner = new CaptureRunner();
            Bundler bundler = new Bundler(loaded.config().outputDir(), loaded.config().bundleDir(),
                    new ActionCatalog(Path.of("/proc")), runner, NodeFacts.nodeInfo(), MonotonicClock.SYSTEM);
            Agent agent = new Agent(loaded.config(), new BpfEventSource(), bundler, MonotonicClock.SYSTEM);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("stopping");
                agent.close();
                runner.close();
                stopped.countDown();
            }, "aod-shutdown"));
            agent.start();
            log.info("watching; bundles go to {}", loaded.config().bundleDir());
            stopped.await();
            return 0;
        }
    }

    @Command(name = "check-config", description = "Validate a configuration and print the effective settings.")
    static final class CheckConfig implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "an AgentConfig or an AODv2 config.yaml (default: the embedded one)")
        Path file;

        @Override
        public Integer call() throws IOException {
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
        static Manifest.NodeInfo nodeInfo() {
            return new Manifest.NodeInfo(read("/proc/sys/kernel/hostname"), read("/proc/sys/kernel/osrelease"),
                    Version.current());
        }

        private static String read(String file) {
            try {
                return Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
