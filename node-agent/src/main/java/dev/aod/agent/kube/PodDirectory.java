package dev.aod.agent.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods on this node by UID, with their containers by runtime ID, from the API server. Listed
 * again on a miss, at most every {@code relistNs}; a pod that is gone or an unreachable API server
 * leaves the pod fields empty.
 */
public class PodDirectory {
    private static final Logger log = LoggerFactory.getLogger(PodDirectory.class);

    /** A container of a pod, as the event names it. */
    public record PodRef(String namespace, String pod, String container) {}

    private final KubernetesClient client;
    private final String node;
    private final long relistNs;
    private final LongSupplier nanoTime;
    private Map<String, Pod> byUid = Map.of();
    private long listedAtNs;
    private boolean listedOnce;

    public PodDirectory(KubernetesClient client, String node, long relistNs, LongSupplier nanoTime) {
        this.client = client;
        this.node = node;
        this.relistNs = relistNs;
        this.nanoTime = nanoTime;
    }

    public synchronized Optional<PodRef> find(String podUid, String containerId) {
        Pod pod = byUid.get(podUid);
        if (pod == null && (!listedOnce || nanoTime.getAsLong() - listedAtNs >= relistNs)) {
            relist();
            pod = byUid.get(podUid);
        }
        if (pod == null) {
            return Optional.empty();
        }
        return Optional.of(new PodRef(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                containerName(pod, containerId)));
    }

    private void relist() {
        listedAtNs = nanoTime.getAsLong();
        listedOnce = true;
        try {
            Map<String, Pod> next = new HashMap<>();
            for (Pod p : list()) {
                next.put(p.getMetadata().getUid(), p);
            }
            byUid = next;
        } catch (RuntimeException e) {
            log.debug("cannot list the pods on {}: {}", node, e.getMessage());
        }
    }

    protected List<Pod> list() {
        return client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems();
    }

    private static String containerName(Pod pod, String containerId) {
        if (containerId.isEmpty() || pod.getStatus() == null) {
            return null;
        }
        List<ContainerStatus> all = new ArrayList<>();
        if (pod.getStatus().getContainerStatuses() != null) {
            all.addAll(pod.getStatus().getContainerStatuses());
        }
        if (pod.getStatus().getInitContainerStatuses() != null) {
            all.addAll(pod.getStatus().getInitContainerStatuses());
        }
        for (ContainerStatus c : all) {
            String id = c.getContainerID();
            if (id != null && id.endsWith("://" + containerId)) {
                return c.getName();
            }
        }
        return null;
    }
}
