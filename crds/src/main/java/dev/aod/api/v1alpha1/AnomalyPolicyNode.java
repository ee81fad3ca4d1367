package dev.aod.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How one policy runs on one node, written by that node's agent. Cluster-scoped; named {@link #nameFor}. */
@Group(AnomalyPolicy.GROUP)
@Version(AnomalyPolicy.VERSION)
@ShortNames("apn")
@Categories("aod")
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.node")
@AdditionalPrinterColumn(name = "Policy", jsonPath = ".spec.policy")
@AdditionalPrinterColumn(name = "Programmed", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].reason")
@AdditionalPrinterColumn(name = "Attached", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.attachedProbes")
@AdditionalPrinterColumn(name = "Generation", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.observedGeneration")
@AdditionalPrinterColumn(name = "Drops", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.droppedEvents")
@AdditionalPrinterColumn(name = "Heartbeat", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".status.lastHeartbeatTime")
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].message", priority = 1)
@AdditionalPrinterColumn(name = "Kernel", jsonPath = ".status.kernelVersion", priority = 1)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class AnomalyPolicyNode extends CustomResource<AnomalyPolicyNodeSpec, AnomalyPolicyNodeStatus> {

    public AnomalyPolicyNode() {
    }

    public AnomalyPolicyNode(String policy, String node) {
        getMetadata().setName(nameFor(policy, node));
        setSpec(new AnomalyPolicyNodeSpec(policy, node));
    }

    /**
     * {@code <policy>.<node>}; when that exceeds 253 characters, the node part is shortened and
     * a hash of the whole keeps the name unique.
     */
    public static String nameFor(String policy, String node) {
        String name = policy + "." + node;
        if (name.length() <= 253) {
            return name;
        }
        String hash = sha256Hex(name).substring(0, 10);
        String head = name.substring(0, 253 - 11).replaceAll("[.-]+$", "");
        return head + "-" + hash;
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
