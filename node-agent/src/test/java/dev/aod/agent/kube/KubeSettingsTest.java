package dev.aod.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KubeSettingsTest {

    @Test
    void theNamespaceDefaultsToAodSystem() {
        assertThat(KubeSettings.of("worker-1", null).namespace()).isEqualTo("aod-system");
        assertThat(KubeSettings.of("worker-1", "diag").namespace()).isEqualTo("diag");
    }

    @Test
    void badInputIsNamedWithItsValue() {
        assertThatThrownBy(() -> KubeSettings.of(null, null)).hasMessageContaining("--node-name: required")
                .hasMessageContaining("NODE_NAME");
        assertThatThrownBy(() -> KubeSettings.of("Worker_1", null))
                .hasMessage("--node-name: must be a node name (lower-case DNS subdomain, at most 253 characters), "
                        + "got \"Worker_1\"");
        assertThatThrownBy(() -> KubeSettings.of("w1", "a.b"))
                .hasMessage("--namespace: must be a namespace name (lower-case DNS label), got \"a.b\"");
        assertThatThrownBy(() -> KubeSettings.of("w1", null).withQueueCapacity(0))
                .hasMessage("queueCapacity: must be at least 1, got 0");
        assertThatThrownBy(() -> KubeSettings.of("w1", null).withBucket(Duration.ofMillis(1500)))
                .hasMessage("bucket: must be whole seconds, got PT1.5S");
    }

    @Test
    void theIdleConfigWatchesNothing() {
        assertThat(KubernetesMode.idleConfig().config().anomalies()).isEmpty();
        assertThat(KubernetesMode.idleConfig().config().outputDir()).hasToString("/var/lib/aod");
    }
}
