package dev.aod.agent.capture;

import dev.aod.config.CaptureSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the cifs/nfs/sunrpc trace systems all the time into a bounded per-CPU ring of a tracefs
 * instance of AOD's own ({@code instances/aod}), which overwrites its oldest entries; a bundle takes
 * a copy of what the ring holds at the trigger. The instance is AOD's alone: the host's main trace
 * buffer and other tracers are not touched.
 */
public final class FtraceRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FtraceRecorder.class);
    static final String INSTANCE = "aod";

    private final Path instance;
    private final CaptureSettings.Ftrace settings;
    private final List<String> enabled = new ArrayList<>();

    public FtraceRecorder(Path tracefs, CaptureSettings.Ftrace settings) {
        this.instance = tracefs.resolve("instances").resolve(INSTANCE);
        this.settings = settings;
    }

    /** Creates the instance afresh (a dead agent's instance is removed first) and starts recording. */
    public synchronized void start() throws IOException {
        if (Files.isDirectory(instance)) {
            removeInstance();
        }
        Files.createDirectory(instance);
        Files.writeString(instance.resolve("buffer_size_kb"), Integer.toString(settings.bufferSizeKb()));
        refresh();
        Files.writeString(instance.resolve("tracing_on"), "1");
    }

    /** Enables the configured systems that exist now (a module loaded after start adds its system). */
    public synchronized List<String> refresh() throws IOException {
        for (String system : settings.systems()) {
            Path enable = instance.resolve("events").resolve(system).resolve("enable");
            if (!enabled.contains(system) && Files.exists(enable)) {
                enable(system);
                enabled.add(system);
                log.info("ftrace: recording trace system {} into {} ({} KiB per CPU)", system, instance,
                        settings.bufferSizeKb());
            }
        }
        return List.copyOf(enabled);
    }

    /** Switches on a system's events, but those {@code exclude} names: one by one, so none is recorded even briefly. */
    private void enable(String system) throws IOException {
        Path events = instance.resolve("events").resolve(system);
        List<Pattern> excluded = settings.exclude().stream().filter(x -> x.startsWith(system + "/"))
                .map(x -> Pattern.compile(Pattern.quote(x.substring(system.length() + 1)).replace("*", "\\E.*\\Q")
                        .replace("?", "\\E.\\Q")))
                .toList();
        if (excluded.isEmpty()) {
            Files.writeString(events.resolve("enable"), "1");
            return;
        }
        try (Stream<Path> each = Files.list(events)) {
            for (Path event : each.filter(e -> Files.exists(e.resolve("enable"))).toList()) {
                String name = event.getFileName().toString();
                if (excluded.stream().noneMatch(p -> p.matcher(name).matches())) {
                    Files.writeString(event.resolve("enable"), "1");
                }
            }
        }
    }

    public synchronized List<String> enabledSystems() {
        return List.copyOf(enabled);
    }

    /** Copies what the ring holds now (reading pauses recording briefly; nothing is consumed). */
    public void snapshot(Path out) throws IOException {
        List<String> systems = enabledSystems();
        if (systems.isEmpty()) {
            throw new IOException("no trace system is recorded: none of " + settings.systems() + " exists on this kernel");
        }
        try (OutputStream o = Files.newOutputStream(out); InputStream in = Files.newInputStream(instance.resolve("trace"))) {
            o.write(("# AOD ftrace window: systems " + systems + (settings.exclude().isEmpty() ? ""
                    : " without " + settings.exclude()) + ", " + settings.bufferSizeKb()
                    + " KiB per CPU, oldest entries overwritten\n").getBytes(StandardCharsets.UTF_8));
            in.transferTo(o);
        }
    }

    private void removeInstance() throws IOException {
        try {
            Files.writeString(instance.resolve("tracing_on"), "0");
        } catch (IOException e) {
            log.debug("ftrace: could not stop {} before removing it", instance, e);
        }
        Files.delete(instance);
    }

    @Override
    public synchronized void close() {
        if (!Files.isDirectory(instance)) {
            return;
        }
        try {
            removeInstance();
        } catch (IOException e) {
            log.warn("ftrace: could not remove the tracefs instance {}: {}", instance, e.toString());
        }
        enabled.clear();
    }
}
