package dev.aod.operator;

import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.reconcilers.CrossNodeReconciler;
import dev.aod.operator.reconcilers.InFlight;
import dev.aod.operator.reconcilers.Reconcilers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator: JOSDK with the four reconcilers, leader election on a Lease in the agent
 * namespace, Micrometer meters, and a graceful stop that lets running reconciliations finish and
 * hands the lease over. Server-side apply is off: status is written by JSON patch and owned
 * objects by create and optimistic update, the same path on a real cluster and on the mock API
 * server of the tests (see docs/operator.md).
 */
public final class AodOperator {
    private static final Logger LOG = LoggerFactory.getLogger(AodOperator.class);

    private final OperatorConfig config;
    private final KubernetesClient client;
    private final OperatorMetrics metrics;
    private final Operator operator;
    private final String identity;
    private final InFlight inFlight;
    private volatile boolean stopping;

    /**
     * @param onLostLeadership what to do when the lease is lost while running (not while
     *     stopping): production exits so that the pod restarts as a candidate, since JOSDK keeps
     *     reconciling after losing the lease otherwise
     */
    public AodOperator(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Clock clock,
            Runnable onLostLeadership) {
        this.config = config;
        this.client = client;
        this.metrics = new OperatorMetrics(registry);
        OperatorConfig.LeaderElection le = config.leaderElection();
        this.identity = le.identity().isEmpty() ? java.util.UUID.randomUUID().toString() : le.identity();
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(config.reconcileThreads())
                    .withReconciliationTerminationTimeout(config.shutdownTimeout())
                    .withMetrics(MicrometerMetrics.newMicrometerMetricsBuilder(registry).notCollectingMetricsPerResource()
                            .build());
            if (le.enabled()) {
                o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(le.leaseName())
                        .withLeaseNamespace(config.namespace())
                        .withIdentity(identity)
                        .withLeaseDuration(le.leaseDuration())
                        .withRenewDeadline(le.renewDeadline())
                        .withRetryPeriod(le.retryPeriod())
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    metrics.leading(true);
                                    LOG.info("{} leads: reconciling", identity);
                                },
                                () -> {
                                    metrics.leading(false);
                                    if (!stopping) {
                                        LOG.error("{} lost the leader lease while running", identity);
                                        onLostLeadership.run();
                                    }
                                },
                                leader -> LOG.info("leader is {}", leader)))
                        .build());
            }
        });
        this.inFlight = Reconcilers.register(operator, config, metrics, clock);
        operator.register(new CrossNodeReconciler(inFlight), o -> o.settingNamespace(config.namespace()));
    }

    public void start() {
        operator.start();
        if (!config.leaderElection().enabled()) {
            metrics.leading(true);
        }
        LOG.info("aod-operator started: agent namespace {}, agent image {} ({})", config.namespace(),
                config.agent().image(), config.agent().securityProfile().key());
    }

    /** Stops reconciling, waits for running reconciliations (up to shutdownTimeout), gives up the lease. */
    public void stop() {
        stopping = true;
        boolean wasLeader = metrics.isLeading();
        try {
            if (!inFlight.stopAndDrain(config.shutdownTimeout())) {
                LOG.warn("reconciliations still running after {}; stopping anyway", config.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        operator.stop();
        if (config.leaderElection().enabled() && wasLeader) {
            LeaseRelease.release(client, config.namespace(), config.leaderElection().leaseName(), identity);
        }
        metrics.leading(false);
        LOG.info("aod-operator stopped");
    }

    public boolean isReady() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    public boolean isLeader() {
        return metrics.isLeading();
    }

    public String identity() {
        return identity;
    }

    public OperatorMetrics metrics() {
        return metrics;
    }
}
