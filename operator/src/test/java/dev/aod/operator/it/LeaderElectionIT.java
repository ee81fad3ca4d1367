package dev.aod.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.operator.AodOperator;
import dev.aod.operator.HealthServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two replicas, one leader; a graceful stop hands the lease over (mock API server by default, see TestApi). */
class LeaderElectionIT extends OperatorITSupport {
    private static final String ELECTION =
            "leaderElection: {enabled: true, leaseName: aod-operator, identity: %s, leaseDuration: 6s, renewDeadline: 4s, "
                    + "retryPeriod: 500ms}\n";

    private AodOperator replica(String identity) {
        return startOperator(config("", ELECTION.formatted(identity)), Clock.systemUTC());
    }

    private Lease lease() {
        return client.leases().inNamespace(ns).withName("aod-operator").get();
    }

    @Test
    void oneReplicaLeadsAndAGracefulStopHandsOverAtOnce() {
        AodOperator alpha = replica("alpha");
        eventually(() -> assertThat(alpha.isLeader()).isTrue());
        AodOperator beta = replica("beta");
        node("w1", "aod.dev/watch", "true");
        apply("p", "nodeSelector: {matchLabels: {aod.dev/watch: 'true'}}\nprotocols: [SMB]\nhung: {}");
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));
        assertThat(beta.isLeader()).isFalse();
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("alpha");

        long stoppedAt = System.nanoTime();
        alpha.stop();
        operators.remove(alpha);

        eventually(() -> assertThat(beta.isLeader()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(6));
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("beta");
        node("w2", "aod.dev/watch", "true");
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1", "w2"));
        assertThat(lostLeadership.get()).isZero();
    }

    @Test
    void aReplicaThatLosesTheLeaseWhileRunningGivesUp() {
        AodOperator alpha = replica("alpha");
        eventually(() -> assertThat(alpha.isLeader()).isTrue());

        client.leases().inNamespace(ns).withName("aod-operator").edit(l -> {
            l.getSpec().setHolderIdentity("intruder");
            l.getSpec().setLeaseDurationSeconds(3600);
            l.getSpec().setRenewTime(ZonedDateTime.now());
            return l;
        });

        eventually(() -> assertThat(lostLeadership.get()).isEqualTo(1));
        assertThat(alpha.isLeader()).isFalse();
    }

    @Test
    void metricsAndHealthEndpoints() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AodOperator operator = new AodOperator(api.newClient(), config("", ""), registry, Clock.systemUTC(), () -> { });
        operator.start();
        operators.add(operator);
        node("w1", "aod.dev/watch", "true");
        apply("p", "nodeSelector: {matchLabels: {aod.dev/watch: 'true'}}\nprotocols: [SMB]\nhung: {}");
        eventually(() -> assertThat(configuredNodes()).containsExactly("w1"));

        try (HealthServer http = new HealthServer(0, registry, operator::isReady)) {
            HttpClient web = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + http.port();
            assertThat(get(web, base + "/healthz").statusCode()).isEqualTo(200);
            eventually(() -> assertThat(get(web, base + "/readyz").statusCode()).isEqualTo(200));
            String metrics = get(web, base + "/metrics").body();
            assertThat(metrics).contains("aod_operator_leader 1.0", "aod_operator_node_config_writes_total{operation=\"create\"}");
            assertThat(List.of(metrics.contains("operator_sdk_"))).containsExactly(true);
        }
    }

    private static HttpResponse<String> get(HttpClient web, String url) {
        try {
            return web.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
