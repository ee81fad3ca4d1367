package dev.aod.operator;

import dev.aod.operator.config.OperatorConfig;
import dev.aod.operator.config.OperatorConfigLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code aod-operator [--config FILE]}: the configuration file from the argument, else
 * {@code $AOD_OPERATOR_CONFIG}, else {@code /etc/aod-operator/config.yaml} if it exists, else
 * defaults and the environment. Runs until SIGTERM, then stops gracefully.
 */
public final class OperatorMain {
    static final Path DEFAULT_CONFIG = Path.of("/etc/aod-operator/config.yaml");
    static final int EXIT_INVALID_CONFIG = 2;
    static final int EXIT_LOST_LEADERSHIP = 3;
    static final int EXIT_START_FAILED = 1;

    private OperatorMain() {}

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger(OperatorMain.class);
        OperatorConfig config;
        try {
            config = loadConfig(args);
        } catch (OperatorConfigLoader.InvalidOperatorConfigException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_INVALID_CONFIG);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_INVALID_CONFIG);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KubernetesClient client = new KubernetesClientBuilder().build();
        AodOperator operator = new AodOperator(client, config, registry, Clock.systemUTC(),
                () -> Runtime.getRuntime().halt(EXIT_LOST_LEADERSHIP));
        HealthServer http = config.httpPort() == 0 ? null : new HealthServer(config.httpPort(), registry, operator::isReady);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping (signal)");
            operator.stop();
            if (http != null) {
                http.close();
            }
            client.close();
            stopped.countDown();
        }, "aod-operator-shutdown"));
        try {
            operator.start();
        } catch (RuntimeException e) {
            log.error("cannot start: {}", e.toString(), e);
            Runtime.getRuntime().halt(EXIT_START_FAILED);
        }
        stopped.await();
    }

    static OperatorConfig loadConfig(String[] args) throws OperatorConfigLoader.InvalidOperatorConfigException {
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            } else {
                throw new IllegalArgumentException("usage: aod-operator [--config FILE] (unknown argument " + args[i] + ")");
            }
        }
        if (file == null && System.getenv("AOD_OPERATOR_CONFIG") != null) {
            file = Path.of(System.getenv("AOD_OPERATOR_CONFIG"));
        }
        if (file == null && Files.exists(DEFAULT_CONFIG)) {
            file = DEFAULT_CONFIG;
        }
        return file == null ? OperatorConfigLoader.parse("", "defaults", System.getenv())
                : OperatorConfigLoader.load(file, System.getenv());
    }
}
