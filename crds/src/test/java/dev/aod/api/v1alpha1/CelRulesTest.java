package dev.aod.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.api.testing.KubeValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CEL rule of the three CRDs, evaluated by a CEL implementation at its place in a whole
 * object as the API server evaluates it: one object that passes, one that fails with the rule's
 * message. A rule added to the API without a case here fails {@link #everyRuleHasACase()}.
 */
class CelRulesTest {
    private static final Map<String, KubeValidator> CRDS = Map.of(
            "AnomalyPolicy", KubeValidator.forCrd("anomalypolicies"),
            "AnomalyPolicyNode", KubeValidator.forCrd("anomalypolicynodes"),
            "AnomalyEvent", KubeValidator.forCrd("anomalyevents"));

    record Case(String kind, String path, String message, String passing, String failing, String old) {
        @Override
        public String toString() {
            return kind + " " + path + ": " + message;
        }
    }

    static String policy(String name, String spec) {
        return "apiVersion: aod.dev/v1alpha1\nkind: AnomalyPolicy\nmetadata: {name: " + name + "}\nspec:\n"
                + spec.indent(2);
    }

    static String policy(String spec) {
        return policy("team-a", spec);
    }

    static String node(String policy, String node) {
        return "apiVersion: aod.dev/v1alpha1\nkind: AnomalyPolicyNode\nmetadata: {name: x}\n"
                + "spec: {policy: " + policy + ", node: " + node + "}\n";
    }

    static String event(String spec, String status) {
        return "apiVersion: aod.dev/v1alpha1\nkind: AnomalyEvent\nmetadata: {name: e, namespace: aod}\n"
                + "spec: {node: w1, anomaly: a.latency-smb, kind: Latency, protocol: SMB" + spec + "}\n"
                + "status: {count: 1" + status + "}\n";
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("AnomalyPolicy", "<root>",
                        "metadata.name must be at most 51 characters: detectors are named <policy>.<detector>-<protocol>, at most 63",
                        policy("a".repeat(51), "protocols: [SMB]\nhung: {}"),
                        policy("a".repeat(52), "protocols: [SMB]\nhung: {}"), null),
                new Case("AnomalyPolicy", "spec", "at least one of latency, errors, hung or session is required",
                        policy("protocols: [SMB]\nsession: {}"),
                        policy("protocols: [SMB]\ncooldown: 1m"), null),
                new Case("AnomalyPolicy", "spec.latency", "mode TrackOnly needs at least one operation in track",
                        policy("protocols: [SMB]\nlatency: {mode: TrackOnly, track: [{operation: SMB2_WRITE}]}"),
                        policy("protocols: [SMB]\nlatency: {mode: TrackOnly}"), null),
                new Case("AnomalyPolicy", "spec.latency", "exclude has no effect in mode TrackOnly: remove it or use mode All",
                        policy("protocols: [SMB]\nlatency: {exclude: [SMB2_ECHO]}"),
                        policy("protocols: [SMB]\nlatency: {mode: TrackOnly, track: [{operation: SMB2_WRITE}], exclude: [SMB2_ECHO]}"),
                        null),
                new Case("AnomalyPolicy", "spec.latency",
                        "track has no effect in mode ExcludeOnly (every operation not excluded uses defaultThreshold): remove it or use mode All",
                        policy("protocols: [SMB]\nlatency: {mode: ExcludeOnly, exclude: [SMB2_ECHO]}"),
                        policy("protocols: [SMB]\nlatency: {mode: ExcludeOnly, track: [{operation: SMB2_WRITE, threshold: 5ms}]}"),
                        null),
                new Case("AnomalyPolicy", "spec.latency", "an operation cannot be both in track and in exclude",
                        policy("protocols: [SMB]\nlatency: {track: [{operation: SMB2_WRITE}], exclude: [SMB2_ECHO]}"),
                        policy("protocols: [SMB]\nlatency: {track: [{operation: SMB2_WRITE}], exclude: [SMB2_ECHO, SMB2_WRITE]}"),
                        null),
                new Case("AnomalyPolicy", "spec.errors", "mode TrackOnly needs at least one error code in codes",
                        policy("protocols: [NFS]\nerrors: {mode: TrackOnly, codes: [EIO]}"),
                        policy("protocols: [NFS]\nerrors: {mode: TrackOnly}"), null),
                new Case("AnomalyPolicy", "spec.errors",
                        "codes apply only in mode TrackOnly; in mode All every error counts unless listed in excludeCodes",
                        policy("protocols: [NFS]\nerrors: {codes: [EIO], mode: TrackOnly}"),
                        policy("protocols: [NFS]\nerrors: {codes: [EIO]}"), null),
                new Case("AnomalyPolicy", "spec.errors", "excludeCodes has no effect in mode TrackOnly: remove it or use mode All",
                        policy("protocols: [NFS]\nerrors: {excludeCodes: [EINTR]}"),
                        policy("protocols: [NFS]\nerrors: {mode: TrackOnly, codes: [EIO], excludeCodes: [EINTR]}"), null),
                new Case("AnomalyPolicy", "spec.mounts[*]", "a mount filter needs a server, a share (or export path), or both",
                        policy("protocols: [NFS]\nhung: {}\nmounts: [{share: /export/data}]"),
                        policy("protocols: [NFS]\nhung: {}\nmounts: [{server: nfs1}, {}]"), null),
                new Case("AnomalyPolicy", "spec.upload", "exactly one of persistentVolumeClaim, azureBlob or s3 is required",
                        policy("protocols: [SMB]\nhung: {}\nupload: {s3: {bucket: diag}}"),
                        policy("protocols: [SMB]\nhung: {}\nupload: {s3: {bucket: diag}, persistentVolumeClaim: {claimName: aod}}"),
                        null),
                new Case("AnomalyPolicy", "spec.upload.azureBlob", "takes either connectionStringSecret or sasTokenSecret, not both",
                        policy("protocols: [SMB]\nhung: {}\nupload: {azureBlob: {accountUrl: 'https://d.blob.core.windows.net', "
                                + "container: aod, sasTokenSecret: {name: blob, key: sas}}}"),
                        policy("protocols: [SMB]\nhung: {}\nupload: {azureBlob: {accountUrl: 'https://d.blob.core.windows.net', "
                                + "container: aod, sasTokenSecret: {name: blob, key: sas}, "
                                + "connectionStringSecret: {name: blob, key: conn}}}"), null),
                new Case("AnomalyPolicy", "spec.upload.azureBlob", "accountUrl is required unless connectionStringSecret is given",
                        policy("protocols: [SMB]\nhung: {}\nupload: {azureBlob: {container: aod, "
                                + "connectionStringSecret: {name: blob, key: conn}}}"),
                        policy("protocols: [SMB]\nhung: {}\nupload: {azureBlob: {container: aod}}"), null),
                new Case("AnomalyPolicyNode", "spec", "policy and node are immutable",
                        node("team-a", "worker-1") + "status: {attachedProbes: 2}\n",
                        node("team-a", "worker-2"), node("team-a", "worker-1")),
                new Case("AnomalyEvent", "spec", "spec is immutable: a new occurrence is a new AnomalyEvent",
                        event(", server: s1", ""), event(", server: s2", ""), event(", server: s1", "")),
                new Case("AnomalyEvent", "status", "firstSeen must not be after lastSeen",
                        event("", ", firstSeen: '2026-03-01T09:00:00Z', lastSeen: '2026-03-01T09:00:00.5Z'"),
                        event("", ", firstSeen: '2026-03-01T09:00:01Z', lastSeen: '2026-03-01T09:00:00.5Z'"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void passesAndFailsWithItsMessage(Case c) {
        KubeValidator v = CRDS.get(c.kind());
        List<String> ok = c.old() == null ? v.validate(c.passing()) : v.validateUpdate(c.passing(), c.old());
        List<String> bad = c.old() == null ? v.validate(c.failing()) : v.validateUpdate(c.failing(), c.old());

        assertThat(ok).as("passing sample").isEmpty();
        String at = c.path().replace("[*]", "[1]");
        assertThat(bad).as("failing sample").containsExactly(at + ": " + c.message());
    }

    @Test
    void everyRuleHasACase() {
        List<String> rules = new ArrayList<>();
        CRDS.forEach((kind, v) -> v.rules().forEach(r -> rules.add(kind + " " + r.path() + ": " + r.message())));
        List<String> covered = cases().map(Case::toString).toList();

        assertThat(covered).containsExactlyInAnyOrderElementsOf(rules);
    }

    @Test
    void transitionRulesAreSkippedOnCreate() {
        assertThat(CRDS.get("AnomalyPolicyNode").validate(node("team-a", "worker-2"))).isEmpty();
    }
}
