package dev.aod.operator.reconcilers;

import dev.aod.api.v1alpha1.AnomalyEvent;
import dev.aod.api.v1alpha1.AnomalyEventSpec;
import dev.aod.api.v1alpha1.CrossNodeCorrelation;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-node view: AnomalyEvents of the same kind, protocol, server and share in the same
 * time bucket from {@value #MIN_NODES} or more nodes point at the server or the network rather than
 * one client. Each such event gets {@code status.crossNode} (likelyServerSide, nodeCount, up to ten
 * nodes); an event alone in its group gets none. Only that field is written (a JSON patch of the
 * status), so the agents' writes of count, lastSeen and bundle are untouched, and only where it
 * differs, so running again changes nothing. Status changes wake it too: an agent that replaced
 * the whole status of a new event gets the mark back.
 */
@ControllerConfiguration(name = CrossNodeReconciler.NAME, generationAwareEventProcessing = false)
public class CrossNodeReconciler implements Reconciler<AnomalyEvent> {
    public static final String NAME = "anomalyeventcrossnode";
    static final int MIN_NODES = 2;
    private static final int MAX_NODES_LISTED = 10;
    private static final Logger LOG = LoggerFactory.getLogger(CrossNodeReconciler.class);

    private final InFlight inFlight;

    public CrossNodeReconciler(InFlight inFlight) {
        this.inFlight = inFlight;
    }

    /** What makes events of several nodes the same incident. */
    record Group(String kind, String protocol, String server, String share, String bucketStart) {
        static Group of(AnomalyEventSpec s) {
            return new Group(String.valueOf(s.kind()), String.valueOf(s.protocol()), s.server(), s.share(),
                    s.bucketStart());
        }
    }

    @Override
    public UpdateControl<AnomalyEvent> reconcile(AnomalyEvent event, Context<AnomalyEvent> context) {
        if (!inFlight.enter()) {
            return UpdateControl.noUpdate();
        }
        try {
            AnomalyEventSpec spec = event.getSpec();
            if (spec == null || spec.server() == null || spec.server().isEmpty() || spec.bucketStart() == null) {
                return UpdateControl.noUpdate();
            }
            Group group = Group.of(spec);
            List<AnomalyEvent> members = context.getPrimaryCache().list()
                    .filter(e -> e.getSpec() != null && e.getMetadata().getDeletionTimestamp() == null
                            && group.equals(Group.of(e.getSpec())))
                    .toList();
            TreeSet<String> nodes = new TreeSet<>();
            members.forEach(e -> nodes.add(e.getSpec().node()));
            CrossNodeCorrelation wanted = nodes.size() < MIN_NODES ? null
                    : new CrossNodeCorrelation(true, nodes.size(), nodes.stream().limit(MAX_NODES_LISTED).toList());
            for (AnomalyEvent e : members) {
                CrossNodeCorrelation has = e.getStatus() == null ? null : e.getStatus().crossNode();
                if (Objects.equals(has, wanted)) {
                    continue;
                }
                write(context, e, wanted, group);
            }
            return UpdateControl.noUpdate();
        } finally {
            inFlight.exit();
        }
    }

    private static void write(Context<AnomalyEvent> context, AnomalyEvent e, CrossNodeCorrelation wanted, Group group) {
        Map<String, Object> op = new LinkedHashMap<>();
        if (e.getStatus() == null) {
            op.put("op", "add");
            op.put("path", "/status");
            op.put("value", Map.of("crossNode", wanted));
        } else if (wanted == null) {
            op.put("op", "remove");
            op.put("path", "/status/crossNode");
        } else {
            op.put("op", "add");
            op.put("path", "/status/crossNode");
            op.put("value", wanted);
        }
        try {
            context.getClient().resources(AnomalyEvent.class).inNamespace(e.getMetadata().getNamespace())
                    .withName(e.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(op)));
        } catch (KubernetesClientException ex) {
            if (ex.getCode() == 404) {
                return;
            }
            throw ex;
        }
        if (wanted != null) {
            LOG.info("AnomalyEvent {}/{}: {} nodes report {} {} {}:{} in the bucket of {}: likely server-side",
                    e.getMetadata().getNamespace(), e.getMetadata().getName(), wanted.nodeCount(), group.protocol(),
                    group.kind(), group.server(), group.share(), group.bucketStart());
        }
    }
}
