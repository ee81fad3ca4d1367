package dev.aod.agent;

import dev.aod.agent.source.BpfEventSource;
import dev.aod.agent.source.ProbeStatus;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.LoadedConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "probes", description = "Load every kernel probe, report each one's state (attached and how, not "
        + "applicable, or failed and why), and exit.")
final class ProbesCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "configuration (default: the embedded one)")
    Path config;

    @Override
    public Integer call() {
        LoadedConfig loaded;
        try {
            loaded = AgentMain.loadConfig(config);
        } catch (InvalidConfigException e) {
            return AgentMain.invalid(spec, e);
        }
        try (BpfEventSource source = new BpfEventSource(true)) {
            List<ProbeStatus> probes = source.start(loaded.config());
            probes.forEach(p -> spec.commandLine().getOut().println(p));
        }
        return 0;
    }
}
