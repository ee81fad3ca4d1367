package dev.aod.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRDs (helm/aod/crds/) are the ones the build generates from the Java API classes.
 * When they differ, the build fails; {@code mvn -pl crds,helm verify -Daod.crds.update=true}
 * copies the generated ones into the chart.
 */
class CrdFreshnessTest {
    private static final String GENERATED = "META-INF/fabric8/";
    private static final Path CHART_CRDS = Path.of("aod", "crds");

    @Test
    void theChartCarriesTheGeneratedCrds() throws Exception {
        Map<String, String> generated = generated();
        boolean update = Boolean.getBoolean("aod.crds.update");
        if (update) {
            Files.createDirectories(CHART_CRDS);
            try (Stream<Path> old = Files.list(CHART_CRDS)) {
                for (Path p : old.filter(p -> !generated.containsKey(p.getFileName().toString())).toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, String> e : generated.entrySet()) {
                Files.writeString(CHART_CRDS.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        }
        Map<String, String> chart = new TreeMap<>();
        if (Files.isDirectory(CHART_CRDS)) {
            try (Stream<Path> files = Files.list(CHART_CRDS)) {
                for (Path p : files.toList()) {
                    chart.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }

        java.util.List<String> stale = new java.util.ArrayList<>();
        generated.forEach((name, text) -> {
            if (!chart.containsKey(name)) {
                stale.add(name + " is missing");
            } else if (!chart.get(name).equals(text)) {
                stale.add(name + " differs from the generated CRD");
            }
        });
        chart.keySet().stream().filter(name -> !generated.containsKey(name))
                .forEach(name -> stale.add(name + " is not a generated CRD"));

        assertThat(generated).as("generated CRDs").hasSize(3);
        assertThat(stale)
                .as("helm/aod/crds/ is stale: run mvn -pl crds,helm verify -Daod.crds.update=true and commit the result")
                .isEmpty();
    }

    /** The generated CRDs as chart file names ({@code anomalypolicies.aod.dev.yaml}) and contents. */
    private static Map<String, String> generated() throws IOException, URISyntaxException {
        URL anchor = CrdFreshnessTest.class.getClassLoader().getResource(GENERATED + "anomalypolicies.aod.dev-v1.yml");
        assertThat(anchor).as("aod-crds with its generated CRDs on the class path").isNotNull();
        Map<String, String> out = new TreeMap<>();
        if ("jar".equals(anchor.getProtocol())) {
            try (JarFile jar = ((JarURLConnection) anchor.openConnection()).getJarFile()) {
                for (JarEntry e : Collections.list(jar.entries())) {
                    if (e.getName().startsWith(GENERATED) && e.getName().endsWith("-v1.yml")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            out.put(chartName(e.getName()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        } else {
            try (Stream<Path> files = Files.list(Path.of(anchor.toURI()).getParent())) {
                for (Path p : files.filter(p -> p.toString().endsWith("-v1.yml")).toList()) {
                    out.put(chartName(p.getFileName().toString()), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static String chartName(String generated) {
        String file = generated.substring(generated.lastIndexOf('/') + 1);
        return file.substring(0, file.length() - "-v1.yml".length()) + ".yaml";
    }
}
