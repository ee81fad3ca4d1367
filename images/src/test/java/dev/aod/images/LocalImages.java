package dev.aod.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images under test, each built once per test run by build-local.sh on the tests' engine
 * (tag {@code aod/KIND:it}); the build's log is kept in the work directory.
 */
final class LocalImages {
    private static final Logger LOG = LoggerFactory.getLogger(LocalImages.class);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);

    record Built(String kind, String tag, Duration buildTime, List<String> steps) {}

    private final LocalEngine engine;
    private final Path imagesDir;
    private final Path work;
    private final Map<String, Built> built = new LinkedHashMap<>();

    LocalImages(LocalEngine engine, Path imagesDir, Path work) {
        this.engine = engine;
        this.imagesDir = imagesDir;
        this.work = work;
    }

    synchronized Built build(String kind) throws IOException, InterruptedException {
        return build(kind, "aod/" + kind + ":it");
    }

    /** The stand-in for debian:bookworm-slim (debootstrap minbase, trimmed), tagged TAG. */
    synchronized Built base(String tag) throws IOException, InterruptedException {
        return build("base", tag);
    }

    private Built build(String kind, String tag) throws IOException, InterruptedException {
        Built image = built.get(kind);
        if (image != null) {
            return image;
        }
        Map<String, String> env = new LinkedHashMap<>(engine.dockerEnv());
        long started = System.nanoTime();
        Commands.Result result = Commands.run(BUILD_TIMEOUT, env,
                List.of("bash", imagesDir.resolve("build-local.sh").toString(), kind, tag));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Files.writeString(work.resolve("build-" + kind + ".log"), result.stdout() + result.stderr());
        result.require();
        List<String> steps = result.stderr().lines().filter(l -> l.startsWith("[build-local")).toList();
        image = new Built(kind, tag, took, steps);
        LOG.info("built {} in {} s:\n  {}", tag, took.toSeconds(), String.join("\n  ", steps));
        built.put(kind, image);
        return image;
    }

    /** {@code docker image ls} of the images built, and how long each build took, for the run's summary. */
    synchronized String summary() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (Built image : built.values()) {
            lines.add(image.tag() + ": built in " + image.buildTime().toSeconds() + " s");
            image.steps().forEach(s -> lines.add("  " + s));
        }
        Commands.Result ls = engine.docker(Duration.ofSeconds(30), "image", "ls",
                "--format", "{{.Repository}}:{{.Tag}}\t{{.Size}}\t{{.ID}}");
        lines.add("docker image ls:");
        ls.stdout().lines().forEach(l -> lines.add("  " + l));
        return String.join("\n", lines);
    }
}
