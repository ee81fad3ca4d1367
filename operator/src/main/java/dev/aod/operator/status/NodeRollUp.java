package dev.aod.operator.status;

import dev.aod.api.v1alpha1.AnomalyPolicyNode;
import dev.aod.api.v1alpha1.AnomalyPolicyNodeStatus;
import dev.aod.operator.nodeconfig.NodeConfigRenderer.Conflict;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The AnomalyPolicyNode statuses of a policy's selected nodes rolled up into the policy:
 * each node is True (runs this generation, probes attached or not applicable), False (its agent
 * reports a failure) or Unknown (no status yet, an older generation, no recent heartbeat);
 * False beats Unknown beats True, and up to five nodes are named.
 */
public final class NodeRollUp {
    static final int NAMED = 5;

    private NodeRollUp() {}

    public enum State { TRUE, FALSE, UNKNOWN }

    /** One node's state and why. */
    public record NodeState(String node, State state, String why, boolean stale) {}

    public record Verdict(String status, String reason, String message) {}

    public record Summary(int selected, int programmed, int failed, int pending, Verdict programmedCondition,
            Verdict degradedCondition) {}

    public static NodeState state(String node, AnomalyPolicyNode apn, long generation, Instant now, Duration staleAfter) {
        AnomalyPolicyNodeStatus s = apn == null ? null : apn.getStatus();
        if (s == null) {
            return new NodeState(node, State.UNKNOWN, "no status yet", false);
        }
        Instant heartbeat = parse(s.lastHeartbeatTime());
        if (heartbeat == null || Duration.between(heartbeat, now).compareTo(staleAfter) > 0) {
            // "since <time>", not "for <age>": the message stays the same, so the status is not rewritten as time passes.
            String since = heartbeat == null ? " yet" : " since " + heartbeat;
            return new NodeState(node, State.UNKNOWN, "no heartbeat" + since, true);
        }
        if (s.observedGeneration() == null || s.observedGeneration() < generation) {
            return new NodeState(node, State.UNKNOWN, s.observedGeneration() == null ? "has not applied this policy yet"
                    : "runs generation " + s.observedGeneration() + ", not " + generation, false);
        }
        Condition c = Conditions.find(s.conditions(), AnomalyPolicyNodeStatus.PROGRAMMED);
        if (c == null) {
            return new NodeState(node, State.UNKNOWN, "reports no Programmed condition", false);
        }
        String why = c.getMessage() == null || c.getMessage().isEmpty() ? String.valueOf(c.getReason()) : c.getMessage();
        if (why.length() > 200) {
            why = why.substring(0, 197) + "...";
        }
        switch (c.getStatus()) {
            case Conditions.TRUE:
                return new NodeState(node, State.TRUE, why, false);
            case Conditions.FALSE:
                return new NodeState(node, State.FALSE, why, false);
            default:
                return new NodeState(node, State.UNKNOWN, why, false);
        }
    }

    public static Summary summarize(List<NodeState> states, long generation, Map<String, List<Conflict>> conflicts) {
        List<NodeState> failed = states.stream().filter(s -> s.state() == State.FALSE).toList();
        List<NodeState> pending = states.stream().filter(s -> s.state() == State.UNKNOWN).toList();
        int n = states.size();
        Verdict programmed;
        if (!failed.isEmpty()) {
            programmed = new Verdict(Conditions.FALSE, "NodesFailed", failed.size() + " of " + n + " nodes failed: "
                    + named(failed, ": ", "; ") + (pending.isEmpty() ? "" : "; " + pending.size() + " pending"));
        } else if (!pending.isEmpty()) {
            programmed = new Verdict(Conditions.UNKNOWN, "Pending", "waiting for " + pending.size() + " of " + n
                    + " nodes: " + named(pending, " (", ", ", ")"));
        } else {
            programmed = new Verdict(Conditions.TRUE, "Programmed", n + " of " + n + " nodes run generation " + generation);
        }

        List<String[]> problems = new ArrayList<>();
        if (!failed.isEmpty()) {
            problems.add(new String[] {"NodesFailed", named(failed, ": ", "; ")});
        }
        List<NodeState> stale = pending.stream().filter(NodeState::stale).toList();
        if (!stale.isEmpty()) {
            problems.add(new String[] {"NodesNotReporting", named(stale, ": ", "; ")});
        }
        if (!conflicts.isEmpty()) {
            Map<String, List<String>> nodesBySetting = new TreeMap<>();
            conflicts.forEach((node, list) -> list.forEach(c -> nodesBySetting
                    .computeIfAbsent(c.setting() + " comes from policy " + c.usedFrom(), k -> new ArrayList<>()).add(node)));
            problems.add(new String[] {"ConflictingSettings", nodesBySetting.entrySet().stream()
                    .map(e -> "on " + names(e.getValue()) + " " + e.getKey() + ", the oldest policy that sets it")
                    .collect(Collectors.joining("; "))});
        }
        Verdict degraded = problems.isEmpty()
                ? new Verdict(Conditions.FALSE, "AsExpected", "")
                : new Verdict(Conditions.TRUE, problems.get(0)[0],
                        problems.stream().map(p -> p[1]).collect(Collectors.joining("; ")));
        return new Summary(n, n - failed.size() - pending.size(), failed.size(), pending.size(), programmed, degraded);
    }

    private static String named(List<NodeState> states, String open, String separator) {
        return named(states, open, separator, "");
    }

    private static String named(List<NodeState> states, String open, String separator, String close) {
        Map<String, String> shown = new LinkedHashMap<>();
        states.stream().limit(NAMED).forEach(s -> shown.put(s.node(), s.node() + open + s.why() + close));
        String text = String.join(separator, shown.values());
        return states.size() > NAMED ? text + separator + "+" + (states.size() - NAMED) + " more" : text;
    }

    private static String names(List<String> nodes) {
        List<String> sorted = nodes.stream().sorted().toList();
        String text = String.join(", ", sorted.stream().limit(NAMED).toList());
        return sorted.size() > NAMED ? text + ", +" + (sorted.size() - NAMED) + " more" : text;
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
