package dev.aod.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NamesTest {
    private static final Pattern SUBDOMAIN = Pattern.compile(Patterns.DNS_SUBDOMAIN);

    @Test
    void policyNodeNames() {
        assertThat(AnomalyPolicyNode.nameFor("team-a", "worker-1")).isEqualTo("team-a.worker-1");
        String longNode = "n".repeat(240);
        String name = AnomalyPolicyNode.nameFor("team-a", longNode);
        assertThat(name).hasSizeLessThanOrEqualTo(253).matches(SUBDOMAIN);
        assertThat(name).isNotEqualTo(AnomalyPolicyNode.nameFor("team-b", longNode));
    }

    @Test
    void configMapNames() {
        assertThat(NodeConfig.configMapName("worker-1")).isEqualTo("aod-node-worker-1");
        assertThat(NodeConfig.configMapName("x".repeat(253))).hasSizeLessThanOrEqualTo(253).matches(SUBDOMAIN);
    }

    @Test
    void eventNamesAreDeterministicPerNodeDetectorKeyAndBucket() {
        Instant bucket = Instant.parse("2026-03-01T09:40:00Z");
        String a = AnomalyEvent.nameFor("worker-3", "team-a.latency-smb", "files/data/SMB2_WRITE", bucket, AnomalyKind.LATENCY);

        assertThat(a).isEqualTo(AnomalyEvent.nameFor("worker-3", "team-a.latency-smb", "files/data/SMB2_WRITE", bucket,
                AnomalyKind.LATENCY));
        assertThat(a).startsWith("worker-3.latency-").hasSize("worker-3.latency-".length() + 16).matches(SUBDOMAIN);
        assertThat(List.of(
                AnomalyEvent.nameFor("worker-4", "team-a.latency-smb", "files/data/SMB2_WRITE", bucket, AnomalyKind.LATENCY),
                AnomalyEvent.nameFor("worker-3", "team-b.latency-smb", "files/data/SMB2_WRITE", bucket, AnomalyKind.LATENCY),
                AnomalyEvent.nameFor("worker-3", "team-a.latency-smb", "files/data/SMB2_READ", bucket, AnomalyKind.LATENCY),
                AnomalyEvent.nameFor("worker-3", "team-a.latency-smb", "files/data/SMB2_WRITE", bucket.plusSeconds(600),
                        AnomalyKind.LATENCY))).doesNotContain(a).doesNotHaveDuplicates();
    }

    @Test
    void policiesAnnotationRoundTrips() {
        List<NodeConfig.PolicyGeneration> p = List.of(new NodeConfig.PolicyGeneration("team-a", "uid-1", 3),
                new NodeConfig.PolicyGeneration("team-b", "uid-2", 7));

        assertThat(NodeConfig.formatPolicies(p))
                .isEqualTo("[{\"name\":\"team-a\",\"uid\":\"uid-1\",\"generation\":3},{\"name\":\"team-b\",\"uid\":\"uid-2\",\"generation\":7}]");
        assertThat(NodeConfig.parsePolicies(NodeConfig.formatPolicies(p))).isEqualTo(p);
        assertThat(NodeConfig.parsePolicies(null)).isEmpty();
    }

    @Test
    void actionNamesAreTheAgents() {
        assertThat(Action.FLIGHT_RECORDER.agentName()).isEqualTo("flight_recorder");
        assertThat(Action.agentNames()).hasSize(Action.values().length).contains("dmesg", "verbose_log");
    }
}
