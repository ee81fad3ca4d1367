package dev.aod.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.time.Instant;
import java.util.Locale;

/** One anomaly on one node in one time bucket; repeats bump its count. Lives in the agent's namespace. */
@Group(AnomalyPolicy.GROUP)
@Version(AnomalyPolicy.VERSION)
@ShortNames("ae")
@Categories("aod")
@AdditionalPrinterColumn(name = "Node", jsonPath = ".spec.node")
@AdditionalPrinterColumn(name = "Kind", jsonPath = ".spec.kind")
@AdditionalPrinterColumn(name = "Server", jsonPath = ".spec.server")
@AdditionalPrinterColumn(name = "Share", jsonPath = ".spec.share")
@AdditionalPrinterColumn(name = "Operation", jsonPath = ".spec.operation")
@AdditionalPrinterColumn(name = "Worst", jsonPath = ".status.observed")
@AdditionalPrinterColumn(name = "Threshold", jsonPath = ".spec.threshold", priority = 1)
@AdditionalPrinterColumn(name = "Count", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.count")
@AdditionalPrinterColumn(name = "Bundle", jsonPath = ".status.bundle.state")
@AdditionalPrinterColumn(name = "Last Seen", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".status.lastSeen")
@AdditionalPrinterColumn(name = "Policy", jsonPath = ".spec.policy", priority = 1)
@AdditionalPrinterColumn(name = "Protocol", jsonPath = ".spec.protocol", priority = 1)
@AdditionalPrinterColumn(name = "Top Pod", jsonPath = ".status.top[0].pod", priority = 1)
@AdditionalPrinterColumn(name = "Server-Side", type = AdditionalPrinterColumn.Type.BOOLEAN,
        jsonPath = ".status.crossNode.likelyServerSide", priority = 1)
@AdditionalPrinterColumn(name = "Bundle URI", jsonPath = ".status.bundle.uri", priority = 1)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class AnomalyEvent extends CustomResource<AnomalyEventSpec, AnomalyEventStatus> implements Namespaced {

    /**
     * The deterministic name of the event for one (node, detector, anomaly key, time bucket):
     * {@code <node>.<kind>-<hash>}, so that a repeat finds the event it bumps. The key is what
     * the detector deduplicates by (mount and operation, for example).
     */
    public static String nameFor(String node, String anomaly, String key, Instant bucketStart, AnomalyKind kind) {
        String hash = AnomalyPolicyNode.sha256Hex(node + "\n" + anomaly + "\n" + key + "\n" + bucketStart.getEpochSecond())
                .substring(0, 16);
        String head = node.length() > 200 ? node.substring(0, 200).replaceAll("[.-]+$", "") : node;
        return head + "." + kind.name().toLowerCase(Locale.ROOT) + "-" + hash;
    }
}
