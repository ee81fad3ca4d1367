package dev.aod.operator.config;

import dev.aod.config.AgentConfig;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The operator's own configuration (a YAML file, see docs/operator.md), read by
 * {@link OperatorConfigLoader}.
 *
 * @param namespace the agent namespace: node ConfigMaps, the agent DaemonSet, AnomalyEvents,
 *     upload Secrets and the leader-election Lease live here
 * @param policyLabelSelector only policies with these labels are handled (empty: all)
 * @param httpPort the metrics and health endpoint; 0 turns it off
 */
public record OperatorConfig(
        String namespace,
        Agent agent,
        Events events,
        Duration nodeStatusStaleAfter,
        LeaderElection leaderElection,
        String policyLabelSelector,
        int httpPort,
        int reconcileThreads,
        Duration shutdownTimeout,
        Duration resyncPeriod) {

    /**
     * The agent DaemonSet and the node-level settings every node config starts from.
     *
     * @param nodeSelector nodes that run an agent; policies select among them
     * @param podAnnotations annotations of the agent pods; a changed one rolls them (the chart's
     *     checksum of the upload Secret it makes)
     * @param ownerDeployment the operator's Deployment, made owner of the DaemonSet so that
     *     uninstalling the operator removes the agents (empty: no owner)
     * @param baseConfig the AgentConfig every node's config starts from (no anomalies, no upload)
     */
    public record Agent(
            String daemonSetName,
            String image,
            String imagePullPolicy,
            List<String> imagePullSecrets,
            String serviceAccountName,
            SecurityProfile securityProfile,
            ResourceRequirements resources,
            List<Toleration> tolerations,
            Map<String, String> nodeSelector,
            Map<String, String> podAnnotations,
            String priorityClassName,
            String hostDataDir,
            List<String> args,
            String ownerDeployment,
            AgentConfig baseConfig) {

        public Agent {
            imagePullSecrets = List.copyOf(imagePullSecrets);
            tolerations = List.copyOf(tolerations);
            nodeSelector = Map.copyOf(nodeSelector);
            podAnnotations = Map.copyOf(podAnnotations);
            args = List.copyOf(args);
        }
    }

    /** AnomalyEvents older than {@code maxAge} (by last seen) go, then the oldest beyond {@code maxCount}. */
    public record Events(Duration maxAge, int maxCount) {}

    public record LeaderElection(boolean enabled, String leaseName, String identity, Duration leaseDuration,
            Duration renewDeadline, Duration retryPeriod) {}
}
