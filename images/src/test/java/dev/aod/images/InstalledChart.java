package dev.aod.images;

import com.marcnuri.helm.Helm;
import dev.aod.operator.agent.AgentDaemonSet;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code helm install aod ./helm/aod} puts on a cluster, rendered by Helm (helm-java) with
 * the tests' images and a few values, and the agent DaemonSet the operator builds from the
 * configuration the chart gives it (with no upload volumes: no policy names one).
 */
record InstalledChart(List<HasMetadata> objects, OperatorConfig config) {
    static final String RELEASE = "aod";
    static final String NAMESPACE = "aod-system";
    static final String OPERATOR = "aod-operator";
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();

    static Path chartDir() {
        return ImagesExtension.imagesDir().getParent().resolve("helm/aod");
    }

    /** The chart with the images these tests build and VALUES (--set style keys and values) on top. */
    static InstalledChart render(Map<String, Object> values) {
        var template = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .set("operator.image.repository", "aod/operator").set("operator.image.tag", "it")
                .set("agent.image.repository", "aod/agent").set("agent.image.tag", "it");
        values.forEach(template::set);
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : template.call().split("(?m)^---$")) {
            if (!doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                objects.add(KUBE.unmarshal(doc, HasMetadata.class));
            }
        }
        String yaml = one(objects, ConfigMap.class, OPERATOR).getData().get("config.yaml");
        try {
            return new InstalledChart(List.copyOf(objects), OperatorConfigLoader.parse(yaml, "the chart's ConfigMap",
                    Map.of()));
        } catch (OperatorConfigLoader.InvalidOperatorConfigException e) {
            throw new AssertionError(e.getMessage() + ": " + e.errors(), e);
        }
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return one(objects, type, name);
    }

    Deployment operator() {
        return one(Deployment.class, OPERATOR);
    }

    /** The chart's CRDs, its namespace and every object it renders, created in CLIENT's API server as Helm would. */
    void install(KubernetesClient client) throws IOException {
        try (Stream<Path> files = Files.list(chartDir().resolve("crds"))) {
            for (Path file : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
                }
            }
        }
        // with the label the API server gives every namespace (the mock does not)
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .addToLabels("kubernetes.io/metadata.name", NAMESPACE).endMetadata().build()).create();
        objects().forEach(o -> client.resource(o).create());
    }

    /** The agent DaemonSet as the operator creates it. */
    DaemonSet agents() {
        return AgentDaemonSet.desired(config, new AgentDaemonSet.Mounts(List.of(), List.of()));
    }

    PodSpec agentPod() {
        return agents().getSpec().getTemplate().getSpec();
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("the chart renders no " + type.getSimpleName() + " " + name));
    }
}
