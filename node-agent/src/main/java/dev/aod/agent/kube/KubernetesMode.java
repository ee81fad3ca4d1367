package dev.aod.agent.kube;

import dev.aod.agent.Agent;
import dev.aod.agent.attribute.CgroupResolver;
import dev.aod.agent.capture.HostPaths;
import dev.aod.agent.detect.MonotonicClock;
import dev.aod.agent.ship.ShipStage;
import dev.aod.config.ConfigLoader;
import dev.aod.config.InvalidConfigException;
import dev.aod.config.LoadedConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code aod-agent run --kubernetes}: the node's config comes from its ConfigMap, its status goes
 * to its AnomalyPolicyNodes and its anomalies to AnomalyEvents. The client is configured as
 * Fabric8 does it: in a pod from the service account, else from KUBECONFIG or ~/.kube/config; it
 * retries a failed request once, as the {@link ApiQueue} retries on its own.
 */
public final class KubernetesMode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubernetesMode.class);
    /** What the agent runs before (and without) a ConfigMap: every node-level default, no anomalies. */
    static final String IDLE_CONFIG = """
            apiVersion: aod.dev/v1alpha1
            kind: AgentConfig
            outputDir: /var/lib/aod
            metrics: {address: 0.0.0.0, port: 9464}
            """;

    private final KubeSettings settings;
    private final KubernetesClient client;
    private final boolean ownsClient;
    private NodeConfigWatch.Initial initial;
    private NodeConfigWatch watch;
    private ApiQueue queue;
    private EventReporter events;
    private NodeStatusWriter status;
    private ScheduledExecutorService ticker;

    public KubernetesMode(KubeSettings settings, KubernetesClient client, boolean ownsClient) {
        this.settings = settings;
        this.client = client;
        this.ownsClient = ownsClient;
    }

    /** Settings from the command line; the client from the environment. */
    public static KubernetesMode connect(String node, String namespace) {
        KubeSettings settings = KubeSettings.of(node, namespace);
        Config config = Config.autoConfigure(null);
        config.setRequestRetryBackoffLimit(1);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        log.info("Kubernetes mode: node {}, namespace {}, API server {}", settings.node(), settings.namespace(),
                client.getMasterUrl());
        return new KubernetesMode(settings, client, true);
    }

    public KubeSettings settings() {
        return settings;
    }

    /** The config without anomalies the agent runs until its node's ConfigMap says more. */
    public static LoadedConfig idleConfig() {
        try {
            return ConfigLoader.parse(IDLE_CONFIG, "the idle config of Kubernetes mode");
        } catch (InvalidConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The config to build the agent with: the node's ConfigMap when it is there and valid, else
     * {@code fallback} (null: {@link #idleConfig()}).
     */
    public LoadedConfig initialConfig(LoadedConfig fallback) {
        LoadedConfig idle = fallback == null ? idleConfig() : fallback;
        initial = new NodeConfigWatch(client, settings, null, idle).read(idle);
        return initial.config();
    }

    /** Starts the watch, the reporters and the writer for the running agent. */
    public void start(Agent agent, ShipStage ship, HostPaths host) {
        start(AgentBinding.of(agent, ship), host, Clock.systemUTC(), MonotonicClock.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "aod-kube-shutdown"));
    }

    public void start(AgentBinding agent, HostPaths host, Clock clock, MonotonicClock monotonic) {
        LoadedConfig idle = initial != null && initial.state().applied() == null ? initial.config() : idleConfig();
        queue = new ApiQueue(client, settings.queueCapacity(), settings.retryMin(), settings.retryMax(), agent.registry());
        watch = new NodeConfigWatch(client, settings, agent, idle);
        if (initial != null) {
            watch.started(initial);
            if (!initial.state().rejectedErrors().isEmpty()) {
                agent.rejected(initial.state().rejectedErrors());
            }
        }
        status = new NodeStatusWriter(settings, queue, agent::status, watch::state, clock, kernel(host));
        watch.onChange(s -> status.refresh());
        PodDirectory pods = new PodDirectory(client, settings.node(), TimeUnit.SECONDS.toNanos(30), System::nanoTime);
        CgroupResolver cgroups = host == null ? null
                : new CgroupResolver(host.sys().resolve("fs/cgroup"), TimeUnit.SECONDS.toNanos(10));
        VolumeAttribution volumes = host == null ? null : new VolumeAttribution(host.mountTable("mountinfo"),
                name -> Optional.ofNullable(client.persistentVolumes().withName(name).get()),
                TimeUnit.MINUTES.toNanos(5), System::nanoTime);
        events = new EventReporter(settings, queue, agent,
                new Attribution(cgroups, host == null ? null : host.proc(), pods, volumes), clock, monotonic);
        events.attach();
        watch.start();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aod-kube-tick");
            t.setDaemon(true);
            return t;
        });
        long tickMs = settings.tick().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, 0, tickMs, TimeUnit.MILLISECONDS);
        log.info("Kubernetes mode: watching ConfigMap {}/{}; status to AnomalyPolicyNodes, anomalies to AnomalyEvents",
                settings.namespace(), watch.configMapName());
    }

    private void tick() {
        try {
            status.refresh();
            events.tick();
        } catch (RuntimeException e) {
            log.error("Kubernetes mode: status update failed", e);
        }
    }

    public ApiQueue queue() {
        return queue;
    }

    public NodeConfigWatch watch() {
        return watch;
    }

    EventReporter events() {
        return events;
    }

    private static String kernel(HostPaths host) {
        if (host == null) {
            return null;
        }
        try {
            return Files.readString(host.proc().resolve("sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** Stops watching and writes what is queued, for a few seconds at most. */
    @Override
    public synchronized void close() {
        if (ticker == null) {
            if (ownsClient) {
                client.close();
            }
            return;
        }
        ticker.shutdownNow();
        ticker = null;
        watch.close();
        tick();
        events.close();
        events.tick();
        try {
            if (!queue.awaitIdle(Duration.ofSeconds(5))) {
                log.warn("Kubernetes mode: {} object(s) not written at shutdown", queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.close();
        if (ownsClient) {
            client.close();
        }
    }
}
