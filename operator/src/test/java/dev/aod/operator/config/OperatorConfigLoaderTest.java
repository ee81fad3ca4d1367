package dev.aod.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigLoaderTest {

    @Test
    void defaultsWithTheImageFromTheEnvironment() throws Exception {
        OperatorConfig c = OperatorConfigLoader.parse("", "test", Map.of("AOD_AGENT_IMAGE", "aod-agent:1",
                "POD_NAMESPACE", "aod", "HOSTNAME", "aod-operator-7d9f"));

        assertThat(c.namespace()).isEqualTo("aod");
        assertThat(c.agent().image()).isEqualTo("aod-agent:1");
        assertThat(c.agent().securityProfile()).isEqualTo(SecurityProfile.LEAST_PRIVILEGED);
        assertThat(c.agent().nodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
        assertThat(c.agent().tolerations()).singleElement().satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
        assertThat(c.agent().resources().getLimits()).containsKey("memory");
        assertThat(c.agent().args()).containsExactly("run", "--kubernetes", "--host-root", "/host");
        assertThat(c.agent().baseConfig().outputDir().toString()).isEqualTo("/var/lib/aod");
        assertThat(c.agent().baseConfig().metrics().address()).isEqualTo("0.0.0.0");
        assertThat(c.events()).isEqualTo(new OperatorConfig.Events(Duration.ofDays(7), 1000));
        assertThat(c.leaderElection().enabled()).isTrue();
        assertThat(c.leaderElection().identity()).isEqualTo("aod-operator-7d9f");
        assertThat(c.nodeStatusStaleAfter()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everySetting() throws Exception {
        OperatorConfig c = OperatorConfigLoader.parse("""
                namespace: diag
                agent:
                  daemonSetName: agents
                  image: registry.example/aod-agent:0.1.0
                  imagePullPolicy: Always
                  imagePullSecrets: [regcred]
                  serviceAccountName: agent-sa
                  securityProfile: privileged
                  resources: {requests: {cpu: 100m, memory: 300Mi}, limits: {memory: 1Gi}}
                  tolerations: [{key: dedicated, operator: Equal, value: storage, effect: NoSchedule}]
                  nodeSelector: {kubernetes.io/os: linux, pool: storage}
                  podAnnotations: {checksum/upload: abc}
                  priorityClassName: system-node-critical
                  hostDataDir: /data/aod
                  ownerDeployment: aod-operator
                  config:
                    outputDir: /data/aod
                    pollInterval: 50ms
                    capture: {packetCapture: {enabled: true}}
                events: {maxAge: 3d, maxCount: 500}
                nodeStatus: {staleAfter: 2m}
                leaderElection: {enabled: false, leaseName: lease, identity: me}
                policies: {labelSelector: team=storage}
                http: {port: 0}
                reconcileThreads: 2
                shutdownTimeout: 5s
                resyncPeriod: 1m
                """, "test", Map.of());

        assertThat(c.agent().securityProfile()).isEqualTo(SecurityProfile.PRIVILEGED);
        assertThat(c.agent().tolerations().get(0).getValue()).isEqualTo("storage");
        assertThat(c.agent().podAnnotations()).containsExactly(Map.entry("checksum/upload", "abc"));
        assertThat(c.agent().baseConfig().pollInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.agent().baseConfig().capture().packetCapture().enabled()).isTrue();
        assertThat(c.events()).isEqualTo(new OperatorConfig.Events(Duration.ofDays(3), 500));
        assertThat(c.policyLabelSelector()).isEqualTo("team=storage");
        assertThat(c.httpPort()).isZero();
        assertThat(c.leaderElection().enabled()).isFalse();
    }

    @Test
    void errorsNameTheirPath() {
        assertThatThrownBy(() -> OperatorConfigLoader.parse("""
                agent:
                  securityProfile: root
                  imagePullPolicy: Sometimes
                  config: {anomalies: [], pollInterval: 100}
                  colour: red
                events: {maxCount: 0}
                leaderElection: {leaseDuration: 5s, renewDeadline: 10s}
                """, "test", Map.of()))
                .isInstanceOfSatisfying(OperatorConfigLoader.InvalidOperatorConfigException.class, e -> assertThat(e.errors())
                        .contains("agent.colour: unknown key (known: args, config, daemonSetName, hostDataDir, image, "
                                        + "imagePullPolicy, imagePullSecrets, nodeSelector, ownerDeployment, podAnnotations, priorityClassName, "
                                        + "resources, securityProfile, serviceAccountName, tolerations)",
                                "agent.image: is required (or set AOD_AGENT_IMAGE)",
                                "agent.securityProfile: must be privileged or leastPrivileged (got root)",
                                "agent.imagePullPolicy: must be Always, IfNotPresent or Never (got Sometimes)",
                                "agent.config.anomalies: is set per node by the operator (from AnomalyPolicies), not here",
                                "events.maxCount: must be an integer between 1 and 1000000 (got 0)",
                                "leaderElection.renewDeadline: must be shorter than leaseDuration")
                        .anySatisfy(m -> assertThat(m).startsWith("agent.config.pollInterval: must be a duration")));
    }
}
