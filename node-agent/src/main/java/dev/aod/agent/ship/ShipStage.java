package dev.aod.agent.ship;

import dev.aod.agent.bundle.ShippingState;
import dev.aod.agent.report.AgentMetrics;
import dev.aod.config.AgentConfig;
import dev.aod.config.UploadTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's ship stage: hands every finished bundle to the outbox of the configured upload
 * target, and follows configuration changes. A new target takes over the old one's journal, so
 * bundles still waiting go to the new target. Without an upload target bundles stay in bundleDir.
 */
public final class ShipStage implements ShippingState, Consumer<Path>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShipStage.class);

    private final List<Consumer<Shipment>> shippedListeners = new CopyOnWriteArrayList<>();
    private volatile Outbox outbox;
    private volatile UploadTarget target;
    private volatile String openError = "";

    private ShipStage() {}

    /** Never throws for a store problem: an outbox that cannot be opened is reported by {@link #status()}. */
    public static ShipStage start(AgentConfig config, AgentMetrics metrics) {
        ShipStage stage = new ShipStage();
        stage.open(config);
        metrics.gauge("aod_ship_pending_bundles", "bundles waiting to be shipped", stage,
                s -> s.outbox == null ? 0 : s.outbox.pendingCount());
        metrics.gauge("aod_ship_shipped_bundles", "bundles shipped and verified since the agent started", stage,
                s -> s.outbox == null ? 0 : s.outbox.shippedCount());
        metrics.gauge("aod_ship_shipped_bytes", "bytes shipped and verified since the agent started", stage,
                s -> s.outbox == null ? 0 : s.outbox.bytesShipped());
        metrics.gauge("aod_ship_failed_attempts", "upload attempts that failed", stage,
                s -> s.outbox == null ? 0 : s.outbox.failedAttempts());
        metrics.gauge("aod_ship_lost_bundles", "bundles deleted locally before they could be shipped", stage,
                s -> s.outbox == null ? 0 : s.outbox.lostCount());
        return stage;
    }

    private synchronized void open(AgentConfig config) {
        target = config.upload().orElse(null);
        if (target == null) {
            openError = "";
            return;
        }
        try {
            Outbox next = Outbox.open(config);
            shippedListeners.forEach(next::onShipped);
            outbox = next;
            openError = "";
            log.info("shipping bundles to {}", next.target());
        } catch (IOException | RuntimeException e) {
            openError = "the outbox cannot be opened: " + e.getMessage();
            log.error("upload: {}; bundles stay in {} until this is fixed", openError, config.bundleDir());
        }
    }

    public synchronized void reconfigure(AgentConfig config) {
        if (Objects.equals(config.upload().orElse(null), target) && openError.isEmpty()) {
            return;
        }
        closeOutbox();
        open(config);
    }

    @Override
    public void accept(Path bundle) {
        Outbox o = outbox;
        if (o != null) {
            o.submit(bundle);
        }
    }

    @Override
    public boolean isPending(Path bundle) {
        Outbox o = outbox;
        return o != null && o.isPending(bundle);
    }

    public void onShipped(Consumer<Shipment> listener) {
        shippedListeners.add(listener);
        Outbox o = outbox;
        if (o != null) {
            o.onShipped(listener);
        }
    }

    public Optional<Shipment> shipment(Path bundle) {
        Outbox o = outbox;
        return o == null ? Optional.empty() : o.shipment(bundle);
    }

    /** Empty when no upload target is configured. */
    public Optional<OutboxStatus> status() {
        Outbox o = outbox;
        if (o != null) {
            return Optional.of(o.status());
        }
        if (target != null) {
            return Optional.of(new OutboxStatus(describe(target), false, openError, null, 0, null, null, 0, 0, 0, 0,
                    null));
        }
        return Optional.empty();
    }

    private static String describe(UploadTarget t) {
        if (t instanceof UploadTarget.Directory d) {
            return "directory " + d.path();
        }
        if (t instanceof UploadTarget.AzureBlob a) {
            return "azureBlob container " + a.container();
        }
        return "s3 bucket " + ((UploadTarget.S3) t).bucket();
    }

    private void closeOutbox() {
        Outbox o = outbox;
        outbox = null;
        if (o != null) {
            o.close();
        }
    }

    @Override
    public synchronized void close() {
        closeOutbox();
    }
}
