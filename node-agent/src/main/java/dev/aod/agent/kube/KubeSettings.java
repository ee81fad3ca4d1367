package dev.aod.agent.kube;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the agent runs in Kubernetes mode.
 *
 * @param node this node's name (the downward API's spec.nodeName)
 * @param namespace the agent namespace: the node's ConfigMap and the AnomalyEvents live there
 * @param bucket the time bucket that groups repeats of one anomaly into one AnomalyEvent
 * @param heartbeat how often the AnomalyPolicyNode statuses are written when nothing changes
 * @param tick how often status and bundle states are checked for changes
 * @param queueCapacity how many objects' writes are kept while the API server is unreachable
 * @param retryMin first back-off after a failed write; doubles up to retryMax
 */
public record KubeSettings(String node, String namespace, Duration bucket, Duration heartbeat, Duration tick,
        int queueCapacity, Duration retryMin, Duration retryMax) {

    public static final String DEFAULT_NAMESPACE = "aod-system";
    public static final Duration DEFAULT_BUCKET = Duration.ofMinutes(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(1);
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    public KubeSettings {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("--node-name: required in Kubernetes mode (or set NODE_NAME from the "
                    + "downward API's spec.nodeName)");
        }
        if (node.length() > 253 || !DNS_SUBDOMAIN.matcher(node).matches()) {
            throw new IllegalArgumentException("--node-name: must be a node name (lower-case DNS subdomain, at most 253 "
                    + "characters), got \"" + node + "\"");
        }
        if (namespace == null || namespace.isBlank()) {
            namespace = DEFAULT_NAMESPACE;
        }
        if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("--namespace: must be a namespace name (lower-case DNS label), got \""
                    + namespace + "\"");
        }
        positive("bucket", bucket);
        positive("heartbeat", heartbeat);
        positive("tick", tick);
        positive("retryMin", retryMin);
        positive("retryMax", retryMax);
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity: must be at least 1, got " + queueCapacity);
        }
        if (bucket.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("bucket: must be whole seconds, got " + bucket);
        }
    }

    private static void positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + ": must be positive, got " + d);
        }
    }

    /** The defaults for a node and namespace (null namespace: {@value #DEFAULT_NAMESPACE}). */
    public static KubeSettings of(String node, String namespace) {
        return new KubeSettings(node, namespace, DEFAULT_BUCKET, DEFAULT_HEARTBEAT, Duration.ofSeconds(2),
                DEFAULT_QUEUE_CAPACITY, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public KubeSettings withBucket(Duration v) {
        return new KubeSettings(node, namespace, v, heartbeat, tick, queueCapacity, retryMin, retryMax);
    }

    public KubeSettings withHeartbeat(Duration v) {
        return new KubeSettings(node, namespace, bucket, v, tick, queueCapacity, retryMin, retryMax);
    }

    public KubeSettings withTick(Duration v) {
        return new KubeSettings(node, namespace, bucket, heartbeat, v, queueCapacity, retryMin, retryMax);
    }

    public KubeSettings withQueueCapacity(int v) {
        return new KubeSettings(node, namespace, bucket, heartbeat, tick, v, retryMin, retryMax);
    }

    public KubeSettings withRetry(Duration min, Duration max) {
        return new KubeSettings(node, namespace, bucket, heartbeat, tick, queueCapacity, min, max);
    }
}
