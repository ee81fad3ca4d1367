package dev.aod.operator.reconcilers;

import dev.aod.operator.OperatorMetrics;
import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.policy.PolicyTranslator;
import dev.aod.operator.policy.Translations;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;

/** Registers the reconcilers with their runtime configuration. */
public final class Reconcilers {
    private Reconcilers() {}

    /** @return what the graceful stop drains before the operator stops */
    public static InFlight register(Operator operator, OperatorConfig config, OperatorMetrics metrics, Clock clock) {
        InFlight inFlight = new InFlight();
        Selection selection = new Selection(config,
                new Translations(new PolicyTranslator(config.agent().baseConfig())));
        operator.register(new AnomalyPolicyReconciler(config, selection, clock, inFlight), o -> {
            o.withReconciliationMaxInterval(config.resyncPeriod());
            if (!config.policyLabelSelector().isEmpty()) {
                o.withLabelSelector(config.policyLabelSelector());
            }
        });
        operator.register(new NodeConfigReconciler(config, selection, metrics, inFlight),
                o -> o.withReconciliationMaxInterval(config.resyncPeriod()));
        operator.register(new AgentDaemonSetReconciler(config, selection, inFlight),
                o -> o.withLabelSelector("kubernetes.io/metadata.name=" + config.namespace())
                        .withReconciliationMaxInterval(config.resyncPeriod()));
        operator.register(new AnomalyEventRetentionReconciler(config.events(), metrics, clock, inFlight),
                o -> o.settingNamespace(config.namespace()));
        return inFlight;
    }
}
