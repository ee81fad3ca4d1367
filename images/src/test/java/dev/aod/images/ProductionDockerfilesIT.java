package dev.aod.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opt-in (-Daod.images.production=true; it downloads a JDK and the packages from Debian's mirror
 * in every run): builds images/KIND/Dockerfile itself, on a stand-in for debian:bookworm-slim
 * (debootstrap minbase, trimmed), from a context holding only what Dockerfile.dockerignore lets in,
 * and checks it against the local build: same image configuration, same Debian packages, same Java
 * modules.
 */
@EnabledIfSystemProperty(named = "aod.images.production", matches = "true",
        disabledReason = "opt-in: -Daod.images.production=true builds the production Dockerfiles from Debian's mirror")
@ExtendWith(ImagesExtension.class)
class ProductionDockerfilesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"agent", "operator"})
    void theProductionDockerfileBuildsTheImageTheLocalBuildMakes(String kind, LocalEngine engine, LocalImages images)
            throws Exception {
        Path repo = ImagesExtension.imagesDir().getParent();
        Path dockerfile = ImagesExtension.imagesDir().resolve(kind + "/Dockerfile");
        Path context = ImagesExtension.work().resolve("production-" + kind);
        LocalEngine.removeTree(context);
        for (String line : Files.readAllLines(Path.of(dockerfile + ".dockerignore"))) {
            if (line.startsWith("!")) {
                Path source = repo.resolve(line.substring(1));
                assumeTrue(Files.isRegularFile(source), source + " does not exist (not built)");
                Files.createDirectories(context.resolve(line.substring(1)).getParent());
                Files.copy(source, context.resolve(line.substring(1)));
            }
        }
        String local = images.build(kind).tag();
        images.base("debian:bookworm-slim");
        String production = "aod/" + kind + ":production";
        Commands.Result build = Commands.run(Duration.ofMinutes(20), Map.of("DOCKER_HOST", engine.dockerHost(),
                "DOCKER_BUILDKIT", "0"), List.of("docker", "build", "--network", "host", "-f", dockerfile.toString(),
                "-t", production, context.toString()));
        Files.writeString(ImagesExtension.work().resolve("build-production-" + kind + ".log"), build.stdout() + build.stderr());
        build.require();

        assertThat(config(engine, production)).as("image configuration").isEqualTo(config(engine, local));
        assertThat(run(engine, production, "dpkg-query", "-W", "-f", "${Package}\\n"))
                .as("Debian packages").isEqualTo(run(engine, local, "dpkg-query", "-W", "-f", "${Package}\\n"));
        assertThat(run(engine, production, "/opt/aod/jre/bin/java", "--list-modules").replaceAll("@\\S+", ""))
                .as("Java modules").isEqualTo(run(engine, local, "/opt/aod/jre/bin/java", "--list-modules")
                        .replaceAll("@\\S+", ""));
    }

    private static JsonNode config(LocalEngine engine, String image) throws IOException, InterruptedException {
        ObjectNode config = (ObjectNode) JSON.readTree(engine.docker(Duration.ofSeconds(30), "image", "inspect",
                "--format", "{{json .Config}}", image).require().stdout());
        ((ObjectNode) config.get("Labels")).remove("dev.aod.build");
        config.remove(List.of("Image", "Hostname", "Domainname"));
        return config;
    }

    private static String run(LocalEngine engine, String image, String entrypoint, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("run", "--rm", "--network", "host", "--entrypoint", entrypoint,
                image));
        command.addAll(List.of(args));
        return engine.docker(Duration.ofMinutes(2), command.toArray(String[]::new)).require().stdout();
    }
}
