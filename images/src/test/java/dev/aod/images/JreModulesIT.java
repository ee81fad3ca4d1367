package dev.aod.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each image's linked Java runtime (KIND/jre-modules) holds every module jdeps finds its jar
 * needs, so that a new dependency cannot break the image only at run time.
 */
class JreModulesIT {
    @TempDir
    Path tmp;

    @Test
    void theAgentRuntimeHasEveryModuleTheAgentJarNeeds() throws Exception {
        Path jar = Path.of(System.getProperty("aod.agent.jar"));
        assertThat(jar).as("the agent jar (build node-agent first)").isRegularFile();
        check(jar, ImagesExtension.imagesDir().resolve("agent/jre-modules"));
    }

    @Test
    void theOperatorRuntimeHasEveryModuleTheOperatorJarNeeds() throws Exception {
        Path jar = Path.of(System.getProperty("aod.operator.jar"));
        assumeTrue(Files.isRegularFile(jar), jar + " does not exist: the operator module has not produced its jar");
        check(jar, ImagesExtension.imagesDir().resolve("operator/jre-modules"));
    }

    /** The module names of a jre-modules file. */
    static List<String> listed(Path file) {
        try {
            return Files.readAllLines(file).stream().map(l -> l.replaceAll("#.*", "").strip())
                    .filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void check(Path jar, Path modulesFile) throws IOException {
        Set<String> linked = Configuration.resolve(ModuleFinder.ofSystem(), List.of(Configuration.empty()),
                ModuleFinder.of(), listed(modulesFile)).modules().stream().map(ResolvedModule::name)
                .collect(Collectors.toSet());
        List<String> needed = jdepsModules(withoutModuleDescriptors(jar));
        assertThat(needed).as("modules jdeps finds %s needs", jar.getFileName()).isNotEmpty();
        assertThat(linked).as("the runtime linked from %s (with what its modules require)", modulesFile)
                .containsAll(needed);
    }

    /** Shaded jars keep their dependencies' META-INF/versions/N/module-info.class, which makes jdeps treat them as modules. */
    private Path withoutModuleDescriptors(Path jar) throws IOException {
        Path copy = tmp.resolve(jar.getFileName());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            out.setLevel(Deflater.NO_COMPRESSION);
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().endsWith("module-info.class")) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        return copy;
    }

    private static List<String> jdepsModules(Path jar) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "--ignore-missing-deps", "--multi-release", "17",
                "--print-module-deps", jar.toString());
        assertThat(rc).as("jdeps: %s", err).isZero();
        return Arrays.stream(out.toString().strip().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
