package dev.aod.operator.reconcilers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aod.api.testing.KubeValidator;
import org.junit.jupiter.api.Test;

/** When the running DaemonSet counts as the desired one. */
class AgentDaemonSetReconcilerTest {

    private static boolean matches(String actual, String desired) {
        JsonNode a = KubeValidator.parse(actual);
        JsonNode d = KubeValidator.parse(desired);
        return AgentDaemonSetReconciler.containsAll(a, d);
    }

    @Test
    void whatTheApiServerAddsDoesNotCount() {
        assertThat(matches("""
                spec: {template: {spec: {dnsPolicy: ClusterFirst, schedulerName: default-scheduler,
                  containers: [{name: agent, image: a:1, terminationMessagePath: /dev/termination-log}]}}}
                status: {numberReady: 3}
                """, "spec: {template: {spec: {containers: [{name: agent, image: a:1}]}}}")).isTrue();
    }

    @Test
    void aChangedOrMissingFieldOrListItemCounts() {
        String desired = "spec: {template: {spec: {containers: [{name: agent, image: a:1}], tolerations: [{operator: Exists}]}}}";
        assertThat(matches("spec: {template: {spec: {containers: [{name: agent, image: a:2}], tolerations: [{operator: Exists}]}}}",
                desired)).isFalse();
        assertThat(matches("spec: {template: {spec: {containers: [{name: agent, image: a:1}]}}}", desired)).isFalse();
        assertThat(matches("spec: {template: {spec: {containers: [{name: agent, image: a:1}], "
                + "tolerations: [{operator: Exists}, {key: x, operator: Exists}]}}}", desired)).isFalse();
    }

    @Test
    void numbersCompareByValue() {
        assertThat(matches("spec: {terminationGracePeriodSeconds: 30.0}", "spec: {terminationGracePeriodSeconds: 30}")).isTrue();
    }
}
