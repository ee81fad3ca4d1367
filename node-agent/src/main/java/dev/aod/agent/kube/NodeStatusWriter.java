package dev.aod.agent.kube;

import dev.aod.agent.report.AgentStatus;
import dev.aod.agent.source.ProbeStatus;
import dev.aod.api.v1alpha1.AnomalyPolicy;
import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyNodeStatus;
import dev.aod.api.v1alpha1.NodeConfig.PolicyGeneration;
import dev.aod.api.v1alpha1.ProbeState;
import dev.aod.api.v1alpha1.Protocol;
import dev.aod.config.AnomalySpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Writes this node's AnomalyPolicyNode {@code <policy>.<node>} for every policy in its config, and
 * only those: the policy generation and config generation it runs, Programmed (or why not), the
 * probes, kernel drops and a heartbeat. A status is written when it changes and at least every
 * heartbeat; the objects of policies that left the config are deleted.
 */
public final class NodeStatusWriter {
    static final String KIND = "AnomalyPolicyNode";
    private static final int MAX_MESSAGE = 1024;

    private final KubeSettings settings;
    private final ApiQueue queue;
    private final Supplier<AgentStatus> agent;
    private final Supplier<NodeConfigState> config;
    private final Clock clock;
    private final String kernel;
    private final Map<String, Transition> probeSince = new HashMap<>();
    private final Map<String, Written> written = new HashMap<>();

    private record Transition(ProbeState state, String reason, Instant since) {}

    /** What was last handed to the queue for a policy, without the heartbeat. */
    private record Written(AnomalyPolicyNodeStatus status, Instant at) {}

    public NodeStatusWriter(KubeSettings settings, ApiQueue queue, Supplier<AgentStatus> agent,
            Supplier<NodeConfigState> config, Clock clock, String kernel) {
        this.settings = settings;
        this.queue = queue;
        this.agent = agent;
        this.config = config;
        this.clock = clock;
        this.kernel = kernel;
    }

    /** Queues the statuses that changed or are due for a heartbeat, and the deletion of those no longer wanted. */
    public synchronized void refresh() {
        NodeConfigState state = config.get();
        AgentStatus status = agent.get();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, PolicyGeneration> policies = new LinkedHashMap<>();
        state.appliedPolicies().forEach(p -> policies.put(p.name(), p));
        state.rejectedPolicies().forEach(p -> policies.putIfAbsent(p.name(), p));
        for (PolicyGeneration p : policies.values()) {
            AnomalyPolicyNodeStatus desired = statusOf(p, state, status, now);
            Written last = written.get(p.name());
            boolean due = last == null || !withoutHeartbeat(last.status()).equals(withoutHeartbeat(desired))
                    || Duration.between(last.at(), now).compareTo(settings.heartbeat()) >= 0;
            if (due) {
                written.put(p.name(), new Written(desired, now));
                String name = AnomalyPolicyNode.nameFor(p.name(), settings.node());
                queue.submit(KIND + "/" + name, KIND, client -> write(client, p, desired));
            }
        }
        for (String gone : new ArrayList<>(written.keySet())) {
            if (!policies.containsKey(gone)) {
                written.remove(gone);
                String name = AnomalyPolicyNode.nameFor(gone, settings.node());
                queue.submit(KIND + "/" + name, KIND, client -> client.resources(AnomalyPolicyNode.class).withName(name)
                        .delete());
            }
        }
    }

    AnomalyPolicyNodeStatus statusOf(PolicyGeneration policy, NodeConfigState state, AgentStatus agentStatus,
            Instant now) {
        boolean inApplied = state.appliedPolicies().stream().anyMatch(p -> p.name().equals(policy.name()));
        Set<Protocol> protocols = new LinkedHashSet<>();
        if (state.applied() != null) {
            for (AnomalySpec a : state.applied().config().anomalies()) {
                if (a.policy().equals(policy.name())) {
                    protocols.add(Protocol.valueOf(a.protocol().name()));
                }
            }
        }
        List<dev.aod.api.v1alpha1.ProbeStatus> probes = new ArrayList<>();
        int attached = 0;
        Map<Protocol, Boolean> watching = new HashMap<>();
        List<String> failures = new ArrayList<>();
        for (ProbeStatus p : agentStatus.probes()) {
            Protocol protocol = protocolOf(p.probe());
            if (protocol != null && !protocols.contains(protocol)) {
                continue;
            }
            ProbeState s = switch (p.state()) {
                case ATTACHED -> ProbeState.ATTACHED;
                case NOT_APPLICABLE -> ProbeState.NOT_APPLICABLE;
                case FAILED -> ProbeState.FAILED;
            };
            String reason = reasonOf(p);
            Transition t = probeSince.get(p.probe());
            if (t == null || t.state() != s || !Objects.equals(t.reason(), reason)) {
                t = new Transition(s, reason, now);
                probeSince.put(p.probe(), t);
            }
            if (s == ProbeState.ATTACHED) {
                attached++;
            }
            if (protocol != null) {
                watching.merge(protocol, s != ProbeState.FAILED, Boolean::logicalOr);
            }
            if (s == ProbeState.FAILED) {
                failures.add(p.probe() + ": " + p.detail());
            }
            if (probes.size() < 16) {
                probes.add(new dev.aod.api.v1alpha1.ProbeStatus(p.probe(), protocol, s, reason,
                        truncate(p.detail() == null ? p.attachedAs() : p.detail()), t.since().toString()));
            }
        }
        Condition programmed;
        if (state.isRejected()) {
            programmed = condition("False", "ConfigRejected", "node config generation " + state.rejectedGeneration()
                    + " rejected, generation " + state.appliedGeneration() + " keeps running: "
                    + String.join("; ", state.rejectedErrors()), policy.generation(), now);
        } else {
            List<Protocol> unwatched = protocols.stream().filter(p -> !watching.getOrDefault(p, false)).toList();
            if (!unwatched.isEmpty()) {
                programmed = condition("False", "ProbeFailed", "no probe watches " + unwatched + ": "
                        + String.join("; ", failures), policy.generation(), now);
            } else {
                String note = failures.isEmpty() ? "" : "; failed: " + String.join("; ", failures);
                programmed = condition("True", "Programmed", "runs generation " + policy.generation() + " with "
                        + attached + " probe(s) attached" + note, policy.generation(), now);
            }
        }
        Map<String, Long> drops = new TreeMap<>();
        long dropped = 0;
        for (Map.Entry<String, Long> d : agentStatus.drops().entrySet()) {
            String reason = d.getKey().substring(d.getKey().lastIndexOf('.') + 1);
            drops.merge(camel(reason), d.getValue(), Long::sum);
            dropped += d.getValue();
        }
        return new AnomalyPolicyNodeStatus(inApplied ? policy.generation() : null, state.appliedGeneration(),
                List.of(programmed), probes, attached, dropped, drops.isEmpty() ? null : drops, now.toString(),
                truncate(kernel, 128), truncate(agentStatus.agentVersion(), 64));
    }

    private Condition condition(String status, String reason, String message, long generation, Instant now) {
        return new ConditionBuilder().withType(AnomalyPolicyNodeStatus.PROGRAMMED).withStatus(status).withReason(reason)
                .withMessage(truncate(message, 32768)).withObservedGeneration(generation)
                .withLastTransitionTime(now.toString()).build();
    }

    private void write(KubernetesClient client, PolicyGeneration policy, AnomalyPolicyNodeStatus desired) {
        String name = AnomalyPolicyNode.nameFor(policy.name(), settings.node());
        Resource<AnomalyPolicyNode> resource = client.resources(AnomalyPolicyNode.class).withName(name);
        AnomalyPolicyNode current = resource.get();
        AnomalyPolicyNodeStatus status = desired;
        if (current == null) {
            AnomalyPolicyNode fresh = new AnomalyPolicyNode(policy.name(), settings.node());
            if (policy.uid() != null && !policy.uid().isEmpty()) {
                fresh.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion(AnomalyPolicy.GROUP + "/" + AnomalyPolicy.VERSION).withKind("AnomalyPolicy")
                        .withName(policy.name()).withUid(policy.uid()).build()));
            }
            resource.create(fresh);
        } else if (current.getStatus() != null) {
            status = keepTransitionTime(current.getStatus(), desired);
        }
        StatusPatch.whole(resource, status);
    }

    /** The condition's lastTransitionTime stays while its status does. */
    private static AnomalyPolicyNodeStatus keepTransitionTime(AnomalyPolicyNodeStatus current,
            AnomalyPolicyNodeStatus desired) {
        Condition was = current.conditions() == null ? null : current.conditions().stream()
                .filter(c -> AnomalyPolicyNodeStatus.PROGRAMMED.equals(c.getType())).findFirst().orElse(null);
        Condition now = desired.conditions().get(0);
        if (was == null || !Objects.equals(was.getStatus(), now.getStatus()) || was.getLastTransitionTime() == null) {
            return desired;
        }
        Condition kept = new ConditionBuilder(now).withLastTransitionTime(was.getLastTransitionTime()).build();
        return new AnomalyPolicyNodeStatus(desired.observedGeneration(), desired.configGeneration(), List.of(kept),
                desired.probes(), desired.attachedProbes(), desired.droppedEvents(), desired.drops(),
                desired.lastHeartbeatTime(), desired.kernelVersion(), desired.agentVersion());
    }

    private static AnomalyPolicyNodeStatus withoutHeartbeat(AnomalyPolicyNodeStatus s) {
        List<Condition> conditions = s.conditions().stream()
                .map(c -> new ConditionBuilder(c).withLastTransitionTime(null).build()).toList();
        return new AnomalyPolicyNodeStatus(s.observedGeneration(), s.configGeneration(), conditions, s.probes(),
                s.attachedProbes(), s.droppedEvents(), s.drops(), null, s.kernelVersion(), s.agentVersion());
    }

    static Protocol protocolOf(String probe) {
        if (probe.startsWith("smb-")) {
            return Protocol.SMB;
        }
        if (probe.startsWith("nfs-")) {
            return Protocol.NFS;
        }
        return null;
    }

    /** CamelCase, as the API wants: ModuleAbsent, PermissionDenied, VerifierError, AttachFailed. */
    static String reasonOf(ProbeStatus p) {
        String detail = p.detail() == null ? "" : p.detail().toLowerCase(Locale.ROOT);
        return switch (p.state()) {
            case ATTACHED -> null;
            case NOT_APPLICABLE -> detail.contains("module") || detail.contains("not loaded") ? "ModuleAbsent"
                    : "NotNeeded";
            case FAILED -> detail.contains("permission") || detail.contains("eperm") ? "PermissionDenied"
                    : !p.libbpfLog().isEmpty() && detail.contains("verif") ? "VerifierError"
                    : detail.contains("tracepoint") ? "TracepointMissing" : "AttachFailed";
        };
    }

    private static String camel(String snake) {
        String s = snake.equals("ringbuf_full") ? "ring_buffer_full" : snake;
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char c : s.toCharArray()) {
            if (c == '_' || c == '-') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    private static String truncate(String s) {
        return truncate(s, MAX_MESSAGE);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String json(Object o) {
        return Serialization.asJson(o);
    }
}
