package dev.aod.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import dev.aod.api.v1alpha1.AnomalyPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart helm/aod rendered by Helm (helm-java) with given values, parsed into Fabric8's typed model. */
final class Chart {
    static final Path DIR = Path.of("aod");
    static final String RELEASE = "aod";
    static final String NAMESPACE = "aod-system";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final KubernetesSerialization KUBE = new KubernetesSerialization();

    private Chart() {}

    /** One rendered manifest: its YAML as Helm wrote it, the tree, and the typed object. */
    record Manifest(String source, String yaml, JsonNode tree, HasMetadata object) {
        String kind() {
            return object.getKind();
        }

        String name() {
            return object.getMetadata().getName();
        }
    }

    record Rendered(String output, List<Manifest> manifests) {
        List<HasMetadata> objects() {
            return manifests.stream().map(Manifest::object).toList();
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects().stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name
                    + " among " + objects().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
        }

        <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
            return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
        }

        /** The operator's configuration file, as the Deployment mounts it. */
        String operatorConfig() {
            return one(ConfigMap.class, RELEASE + "-operator").getData().get("config.yaml");
        }

        List<String> names() {
            return objects().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();
        }
    }

    /** Thrown by Helm for a failed render: a `fail` guard, the schema, a template error. */
    static final class RenderException extends RuntimeException {
        RenderException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Rendered render(Map<String, Object> values) {
        return render(values, null);
    }

    /** As on a cluster of KUBEVERSION (.Capabilities.KubeVersion); null: Helm's default. */
    static Rendered render(Map<String, Object> values, String kubeVersion) {
        String output;
        try {
            Path file = Files.createTempFile("aod-values", ".yaml");
            try {
                YAML.writeValue(file.toFile(), values);
                var template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file);
                if (kubeVersion != null) {
                    template.withKubeVersion(kubeVersion);
                }
                output = template.call();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException e) {
            throw new RenderException(e.getMessage(), e);
        }
        return new Rendered(output, parse(output));
    }

    /** What `helm install` prints (a client-only dry run): the manifests, then NOTES.txt. */
    static String installOutput(Map<String, Object> values) {
        try {
            Path file = Files.createTempFile("aod-values", ".yaml");
            try {
                YAML.writeValue(file.toFile(), values);
                return new Helm(DIR).install().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file)
                        .dryRun().clientOnly().call().getOutput();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Manifest> parse(String output) {
        List<Manifest> manifests = new ArrayList<>();
        String source = "";
        StringBuilder doc = new StringBuilder();
        for (String line : (output + "\n---\n").split("\n", -1)) {
            if (line.equals("---")) {
                add(manifests, source, doc.toString());
                doc.setLength(0);
            } else if (line.startsWith("# Source: ") && doc.toString().isBlank()) {
                source = line.substring("# Source: ".length());
                doc.append(line).append('\n');
            } else {
                doc.append(line).append('\n');
            }
        }
        return manifests;
    }

    private static void add(List<Manifest> manifests, String source, String yaml) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new AssertionError(source + " is not valid YAML: " + e.getMessage() + "\n" + yaml, e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return;
        }
        HasMetadata object;
        if (tree.path("apiVersion").asText().startsWith("aod.dev/")) {
            object = switch (tree.path("kind").asText()) {
                case "AnomalyPolicy" -> KUBE.convertValue(tree, AnomalyPolicy.class);
                default -> throw new AssertionError(source + ": unexpected aod.dev kind " + tree.path("kind"));
            };
        } else {
            object = KUBE.convertValue(tree, HasMetadata.class);
        }
        manifests.add(new Manifest(source, yaml, tree, object));
    }

    /** Values from alternating dotted keys and values: {@code values("agent.securityProfile", "privileged")}. */
    static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String[] path = ((String) keysAndValues[i]).split("\\.");
            Map<String, Object> node = root;
            for (int j = 0; j < path.length - 1; j++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(path[j], k -> new LinkedHashMap<>());
                node = child;
            }
            node.put(path[path.length - 1], keysAndValues[i + 1]);
        }
        return root;
    }
}
