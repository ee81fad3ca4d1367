package dev.aod.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader lease up on a graceful stop, as client-go's ReleaseOnCancel does (JOSDK does
 * not), so that a standby replica takes over at once rather than after the lease duration.
 */
final class LeaseRelease {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

    private LeaseRelease() {}

    static void release(KubernetesClient client, String namespace, String name, String identity) {
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(name).get();
            if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setLeaseDurationSeconds(1);
            lease.getSpec().setRenewTime(now);
            client.resource(lease).update();
            LOG.info("released leader lease {}/{}", namespace, name);
        } catch (KubernetesClientException e) {
            LOG.warn("could not release leader lease {}/{}: {}; a standby takes over when it expires", namespace, name,
                    e.getMessage());
        }
    }
}
