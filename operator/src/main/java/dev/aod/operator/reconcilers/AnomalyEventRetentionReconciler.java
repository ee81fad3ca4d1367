package dev.aod.operator.reconcilers;

import dev.aod.api.v1alpha1.AnomalyEvent;
import dev.aod.operator.OperatorMetrics;
import dev.aod.operator.config.OperatorConfig;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AnomalyEvent retention in the agent namespace: an event last seen longer ago than
 * {@code events.maxAge} is deleted, and beyond {@code events.maxCount} the least recently seen go.
 * Every event's reconciliation applies the rule to all events, so an event arriving past the count
 * removes the oldest; each surviving event is rescheduled for when it expires.
 */
@ControllerConfiguration(name = AnomalyEventRetentionReconciler.NAME, generationAwareEventProcessing = false)
public class AnomalyEventRetentionReconciler implements Reconciler<AnomalyEvent> {
    public static final String NAME = "anomalyeventretention";
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyEventRetentionReconciler.class);

    private final OperatorConfig.Events retention;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final InFlight inFlight;

    AnomalyEventRetentionReconciler(OperatorConfig.Events retention, OperatorMetrics metrics, Clock clock, InFlight inFlight) {
        this.retention = retention;
        this.metrics = metrics;
        this.clock = clock;
        this.inFlight = inFlight;
    }

    @Override
    public UpdateControl<AnomalyEvent> reconcile(AnomalyEvent event, Context<AnomalyEvent> context) {
        if (!inFlight.enter()) {
            return UpdateControl.noUpdate();
        }
        try {
            return reconcileNow(event, context);
        } finally {
            inFlight.exit();
        }
    }

    private UpdateControl<AnomalyEvent> reconcileNow(AnomalyEvent event, Context<AnomalyEvent> context) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(retention.maxAge());
        List<AnomalyEvent> all = context.getPrimaryCache().list()
                .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(AnomalyEventRetentionReconciler::lastSeen).reversed()
                        .thenComparing(e -> e.getMetadata().getName()))
                .toList();
        boolean selfDeleted = false;
        for (int i = 0; i < all.size(); i++) {
            AnomalyEvent e = all.get(i);
            String reason = lastSeen(e).isBefore(cutoff) ? "age" : i >= retention.maxCount() ? "count" : null;
            if (reason == null) {
                continue;
            }
            context.getClient().resource(e).delete();
            metrics.eventDeleted(reason);
            LOG.debug("deleted AnomalyEvent {}/{} ({}: last seen {})", e.getMetadata().getNamespace(),
                    e.getMetadata().getName(), reason, lastSeen(e));
            selfDeleted |= e.getMetadata().getName().equals(event.getMetadata().getName());
        }
        if (selfDeleted) {
            return UpdateControl.noUpdate();
        }
        Duration untilExpiry = Duration.between(now, lastSeen(event).plus(retention.maxAge())).plusSeconds(1);
        return UpdateControl.<AnomalyEvent>noUpdate().rescheduleAfter(untilExpiry);
    }

    /** When the event was last seen: status.lastSeen, else firstSeen, else its creation. */
    static Instant lastSeen(AnomalyEvent e) {
        if (e.getStatus() != null) {
            Instant t = parse(e.getStatus().lastSeen());
            if (t == null) {
                t = parse(e.getStatus().firstSeen());
            }
            if (t != null) {
                return t;
            }
        }
        Instant created = parse(e.getMetadata().getCreationTimestamp());
        return created == null ? Instant.EPOCH : created;
    }

    private static Instant parse(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
