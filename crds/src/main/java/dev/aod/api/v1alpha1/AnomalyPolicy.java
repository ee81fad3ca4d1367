package dev.aod.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** What to watch, on which nodes, with which thresholds. Cluster-scoped. */
@Group(AnomalyPolicy.GROUP)
@Version(AnomalyPolicy.VERSION)
@ShortNames("ap")
@Categories("aod")
@ValidationRule(value = "size(self.metadata.name) <= 51",
        message = "metadata.name must be at most 51 characters: detectors are named <policy>.<detector>-<protocol>, at most 63")
@AdditionalPrinterColumn(name = "Protocols", jsonPath = ".spec.protocols")
@AdditionalPrinterColumn(name = "Nodes", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.selectedNodes")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.programmedNodes")
@AdditionalPrinterColumn(name = "Accepted", jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status")
@AdditionalPrinterColumn(name = "Programmed", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status")
@AdditionalPrinterColumn(name = "Degraded", jsonPath = ".status.conditions[?(@.type==\"Degraded\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].reason")
@AdditionalPrinterColumn(name = "Suspended", type = AdditionalPrinterColumn.Type.BOOLEAN, jsonPath = ".spec.suspend",
        priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].message", priority = 1)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class AnomalyPolicy extends CustomResource<AnomalyPolicySpec, AnomalyPolicyStatus> {
    public static final String GROUP = "aod.dev";
    public static final String VERSION = "v1alpha1";
    public static final int MAX_NAME_LENGTH = 51;

    public AnomalyPolicy() {
    }

    public AnomalyPolicy(String name, AnomalyPolicySpec spec) {
        getMetadata().setName(name);
        setSpec(spec);
    }
}
