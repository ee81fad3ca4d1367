package dev.aod.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The agent DaemonSet the operator owns (mock API server by default, see TestApi). */
class AgentDaemonSetIT extends OperatorITSupport {

    private DaemonSet daemonSet() {
        return client.apps().daemonSets().inNamespace(ns).withName("aod-agent").get();
    }

    private PodSpec pod() {
        return daemonSet().getSpec().getTemplate().getSpec();
    }

    @Test
    void builtFromTheOperatorsConfiguration() {
        startOperator(config("""
                securityProfile: privileged
                resources: {requests: {cpu: 20m, memory: 128Mi}, limits: {memory: 400Mi}}
                tolerations: [{key: dedicated, operator: Equal, value: storage, effect: NoSchedule}]
                priorityClassName: system-node-critical
                """, ""), Clock.systemUTC());

        eventually(() -> assertThat(daemonSet()).isNotNull());
        Container agent = pod().getContainers().get(0);
        assertThat(agent.getImage()).isEqualTo("registry.example/aod-agent:0.1.0");
        assertThat(agent.getSecurityContext().getPrivileged()).isTrue();
        assertThat(agent.getResources().getLimits()).containsEntry("memory", new Quantity("400Mi"));
        assertThat(pod().getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(pod().getNodeSelector()).containsEntry(TEST_LABEL, ns);
        assertThat(pod().getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod().getHostPID()).isTrue();
    }

    @Test
    void aNewOperatorConfigurationRollsTheDaemonSet() {
        startOperator();
        eventually(() -> assertThat(daemonSet()).isNotNull());
        assertThat(pod().getContainers().get(0).getSecurityContext().getCapabilities().getAdd()).contains("BPF");
        operators.remove(0).stop();

        startOperator(config("image: registry.example/aod-agent:0.2.0\nsecurityProfile: privileged\n", ""), Clock.systemUTC());

        eventually(() -> assertThat(pod().getContainers().get(0).getImage()).isEqualTo("registry.example/aod-agent:0.2.0"));
        assertThat(pod().getContainers().get(0).getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod().getContainers().get(0).getSecurityContext().getCapabilities()).isNull();
    }

    @Test
    void handEditsAreRevertedADeletedDaemonSetIsRecreatedAndNothingElseIsWritten() throws InterruptedException {
        startOperator();
        eventually(() -> assertThat(daemonSet()).isNotNull());

        client.apps().daemonSets().inNamespace(ns).withName("aod-agent").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("someone/else:latest");
            return d;
        });
        eventually(() -> assertThat(pod().getContainers().get(0).getImage()).isEqualTo("registry.example/aod-agent:0.1.0"));

        client.apps().daemonSets().inNamespace(ns).withName("aod-agent").delete();
        eventually(() -> assertThat(daemonSet()).isNotNull());

        // The generation, not the resourceVersion: on a real cluster the DaemonSet controller writes the status.
        DaemonSet settled = daemonSet();
        Thread.sleep(2000);
        assertThat(daemonSet().getMetadata().getGeneration()).isEqualTo(settled.getMetadata().getGeneration());
        assertThat(daemonSet().getMetadata().getUid()).isEqualTo(settled.getMetadata().getUid());
    }

    @Test
    void uploadSecretsOfAcceptedPoliciesAreMounted() {
        startOperator();
        eventually(() -> assertThat(daemonSet()).isNotNull());

        apply("blob", "protocols: [SMB]\nhung: {}\nupload: {azureBlob: {accountUrl: 'https://diag.blob.core.windows.net', "
                + "container: aod, sasTokenSecret: {name: aod-blob, key: sasToken}}}");

        eventually(() -> assertThat(pod().getVolumes()).anySatisfy(v -> {
            assertThat(v.getSecret()).isNotNull();
            assertThat(v.getSecret().getSecretName()).isEqualTo("aod-blob");
            assertThat(v.getSecret().getOptional()).isTrue();
        }));
        assertThat(pod().getContainers().get(0).getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/aod/secrets/aod-blob"));

        delete("blob");
        eventually(() -> assertThat(pod().getVolumes()).noneSatisfy(v -> assertThat(v.getSecret()).isNotNull()));
    }

    @Test
    void theOperatorsDeploymentOwnsTheDaemonSet() {
        Deployment operatorDeployment = client.resource(new DeploymentBuilder().withNewMetadata().withName("aod-operator")
                .withNamespace(ns).endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "aod-operator")
                .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "aod-operator").endMetadata()
                .withNewSpec().addNewContainer().withName("operator").withImage("aod-operator:0.1.0").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();

        startOperator(config("ownerDeployment: aod-operator\n", ""), Clock.systemUTC());

        eventually(() -> assertThat(daemonSet()).isNotNull());
        assertThat(daemonSet().getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(operatorDeployment.getMetadata().getUid()));
    }
}
