package dev.aod.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aod.api.testing.KubeValidator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated openAPIV3Schema of each CRD, checked by a JSON-schema validator on whole objects. */
class CrdSchemaTest {
    private static final KubeValidator POLICY = KubeValidator.forCrd("anomalypolicies");
    private static final KubeValidator NODE = KubeValidator.forCrd("anomalypolicynodes");
    private static final KubeValidator EVENT = KubeValidator.forCrd("anomalyevents");

    private static String policy(String spec) {
        return CelRulesTest.policy(spec);
    }

    @Test
    void theSamplesAreValid() {
        assertThat(POLICY.validate(Samples.POLICY)).isEmpty();
        assertThat(NODE.validate(Samples.POLICY_NODE)).isEmpty();
        assertThat(EVENT.validate(Samples.EVENT)).isEmpty();
    }

    @Test
    void namesScopesAndCategories() {
        assertThat(POLICY.crd().at("/spec/scope").asText()).isEqualTo("Cluster");
        assertThat(NODE.crd().at("/spec/scope").asText()).isEqualTo("Cluster");
        assertThat(EVENT.crd().at("/spec/scope").asText()).isEqualTo("Namespaced");
        for (KubeValidator v : List.of(POLICY, NODE, EVENT)) {
            assertThat(v.crd().at("/spec/names/categories").toString()).isEqualTo("[\"aod\"]");
            assertThat(v.crd().at("/spec/versions/0/subresources/status").isObject()).isTrue();
        }
        assertThat(POLICY.crd().at("/spec/names/shortNames").toString()).isEqualTo("[\"ap\"]");
        assertThat(NODE.crd().at("/spec/names/shortNames").toString()).isEqualTo("[\"apn\"]");
        assertThat(EVENT.crd().at("/spec/names/shortNames").toString()).isEqualTo("[\"ae\"]");
    }

    @Test
    void typesAreChecked() {
        assertThat(POLICY.validate(policy("protocols: [SMB]\nlatency: {minCount: ten}")))
                .containsExactly("spec.latency.minCount: string found, integer expected");
        assertThat(POLICY.validate(policy("protocols: SMB\nhung: {}")))
                .containsExactly("spec.protocols: string found, array expected");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nhung: {}\nsuspend: 'yes'")))
                .containsExactly("spec.suspend: string found, boolean expected");
    }

    @Test
    void enumsAreChecked() {
        assertThat(POLICY.validate(policy("protocols: [CIFS]\nhung: {}")))
                .containsExactly("spec.protocols[0]: does not have a value in the enumeration [\"NFS\", \"SMB\"]");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nlatency: {mode: trackonly}")))
                .containsExactly("spec.latency.mode: does not have a value in the enumeration [\"All\", \"ExcludeOnly\", \"TrackOnly\"]");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nhung: {}\nactions: [dmesg, tcpdump]")))
                .singleElement().asString().startsWith("spec.actions[1]: does not have a value in the enumeration");
        assertThat(POLICY.validate(policy("protocols: [NFS]\nsession: {events: [reconnect]}")))
                .singleElement().asString().startsWith("spec.session.events[0]: does not have a value in the enumeration");
    }

    @Test
    void rangesAreChecked() {
        assertThat(POLICY.validate(policy("protocols: [SMB]\nlatency: {minCount: 0}")))
                .containsExactly("spec.latency.minCount: must have a minimum value of 1.0");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nerrors: {minCount: 1000001}")))
                .containsExactly("spec.errors.minCount: must have a maximum value of 1000000.0");
        assertThat(POLICY.validate(policy("protocols: [SMB, NFS, SMB]\nhung: {}")))
                .contains("spec.protocols: must have at most 2 items but found 3");
        assertThat(POLICY.validate(policy("protocols: []\nhung: {}")))
                .containsExactly("spec.protocols: must have at least 1 items but found 0");
    }

    @Test
    void requiredFieldsAreChecked() {
        assertThat(POLICY.validate(policy("hung: {}")))
                .containsExactly("spec: required property 'protocols' not found");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nlatency: {track: [{threshold: 5ms}]}")))
                .containsExactly("spec.latency.track[0]: required property 'operation' not found");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nhung: {}\nupload: {s3: {region: eu-west-1}}")))
                .containsExactly("spec.upload.s3: required property 'bucket' not found");
        assertThat(NODE.validate("apiVersion: aod.dev/v1alpha1\nkind: AnomalyPolicyNode\nmetadata: {name: x}\n"
                + "spec: {policy: team-a}\n"))
                .containsExactly("spec: required property 'node' not found");
    }

    @Test
    void patternsAreChecked() {
        assertThat(POLICY.validate(policy("protocols: [SMB]\nlatency: {window: 5 seconds}")))
                .singleElement().asString().startsWith("spec.latency.window: does not match the regex pattern");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nlatency: {window: 1h30m}")))
                .singleElement().asString().startsWith("spec.latency.window: does not match the regex pattern");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nerrors: {excludeCodes: [eio]}")))
                .singleElement().asString().startsWith("spec.errors.excludeCodes[0]: does not match the regex pattern");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nhung: {}\nupload: {azureBlob: {accountUrl: 'https://a.b', "
                + "container: Bad_Name}}")))
                .singleElement().asString().startsWith("spec.upload.azureBlob.container: does not match the regex pattern");
        assertThat(EVENT.validate(Samples.EVENT.replace("lastSeen: \"2026-03-01T09:48:55Z\"", "lastSeen: yesterday")))
                .contains("status.lastSeen: does not match the date-time pattern must be a valid RFC 3339 date-time");
    }

    @Test
    void unknownFieldsAreRejectedAsStrictFieldValidationDoes() {
        assertThat(POLICY.validate(policy("protocols: [SMB]\nlatency: {treshold: 5ms}")))
                .containsExactly("spec.latency: property 'treshold' is not defined in the schema and the schema does not allow additional properties");
    }

    @Test
    void listTypesRejectDuplicates() {
        assertThat(POLICY.validate(policy("protocols: [SMB, SMB]\nhung: {}")))
                .containsExactly("spec.protocols[1]: Duplicate value: \"SMB\"");
        assertThat(POLICY.validate(policy("protocols: [SMB]\nlatency: {track: [{operation: SMB2_READ}, "
                + "{operation: SMB2_READ, threshold: 5ms}]}")))
                .containsExactly("spec.latency.track[1]: Duplicate value: {\"operation\":\"SMB2_READ\"}");
    }

    @Test
    void defaultsAreTheAgentsDefaults() {
        JsonNode stored = POLICY.withDefaults(KubeValidator.parse(policy(
                "protocols: [SMB]\nlatency: {}\nerrors: {}\nhung: {}\nsession: {}\nretention: {}\n"
                        + "upload: {s3: {bucket: b, credentialsSecret: {name: s3}}}")));

        assertThat(stored.at("/spec/latency").toString()).isEqualTo(
                "{\"ceiling\":\"1s\",\"defaultThreshold\":\"10ms\",\"layer\":\"Wire\",\"minCount\":10,\"mode\":\"All\",\"window\":\"10s\"}");
        assertThat(stored.at("/spec/errors").toString())
                .isEqualTo("{\"layer\":\"Wire\",\"minCount\":1,\"mode\":\"All\",\"window\":\"60s\"}");
        assertThat(stored.at("/spec/hung").toString()).isEqualTo("{\"after\":\"30s\"}");
        assertThat(stored.at("/spec/session").toString()).isEqualTo("{\"minCount\":1,\"window\":\"5m\"}");
        assertThat(stored.at("/spec/retention").toString()).isEqualTo("{\"maxAge\":\"2d\",\"maxTotalSize\":\"200Mi\"}");
        assertThat(stored.at("/spec/cooldown").asText()).isEqualTo("5m");
        assertThat(stored.at("/spec/suspend").asBoolean(true)).isFalse();
        assertThat(stored.at("/spec/upload/s3/credentialsSecret")).isEqualTo(KubeValidator.parse(
                "{name: s3, accessKeyIdKey: accessKeyId, secretAccessKeyKey: secretAccessKey}"));
    }

    @Test
    void conditionsFollowMetav1() {
        String bad = Samples.POLICY.replaceFirst("status: \"True\"", "status: \"Yes\"");
        assertThat(POLICY.validate(bad)).singleElement().asString()
                .startsWith("status.conditions[0].status: does not have a value in the enumeration");
    }

    /**
     * Every string and list of an AnomalyEvent's spec and status is bounded; the largest possible
     * one, every bound reached with 4-byte characters, is a few percent of etcd's 1.5 MiB.
     */
    @Test
    void anAnomalyEventIsSmallEvenAtItsLargest() {
        JsonNode schema = EVENT.crd().at("/spec/versions/0/schema/openAPIV3Schema");
        long largest = largestJson(schema.get("properties").get("spec"), "spec")
                + largestJson(schema.get("properties").get("status"), "status");

        assertThat(largest).isLessThan(64 * 1024);
        assertThat(Samples.EVENT.length()).isLessThan(2 * 1024);
    }

    /** An upper bound of the JSON size of a value of the schema. */
    private static long largestJson(JsonNode s, String path) {
        if (s.has("enum")) {
            long max = 0;
            for (JsonNode e : s.get("enum")) {
                max = Math.max(max, e.toString().length());
            }
            return max;
        }
        String type = s.path("type").asText();
        switch (type) {
            case "object": {
                long size = 2;
                if (s.has("properties")) {
                    for (Map.Entry<String, JsonNode> p : s.get("properties").properties()) {
                        size += p.getKey().length() + 4 + largestJson(p.getValue(), path + "." + p.getKey());
                    }
                    return size;
                }
                assertThat(s.has("maxProperties")).as(path + " has maxProperties").isTrue();
                return size + s.get("maxProperties").asLong() * (256 + 4 + largestJson(s.get("additionalProperties"), path));
            }
            case "array":
                assertThat(s.has("maxItems")).as(path + " has maxItems").isTrue();
                return 2 + s.get("maxItems").asLong() * (1 + largestJson(s.get("items"), path + "[]"));
            case "string":
                assertThat(s.has("maxLength") || s.has("pattern") && s.get("pattern").asText().endsWith("{64}$"))
                        .as(path + " has maxLength").isTrue();
                return 2 + 4L * s.path("maxLength").asLong(64);
            default:
                return 24;
        }
    }
}
