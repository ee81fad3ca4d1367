package dev.aod.agent.kube;

import dev.aod.agent.source.MountResolver;
import dev.aod.agent.source.MountResolver.MountRef;
import dev.aod.api.v1alpha1.VolumeRef;
import dev.aod.protocol.Protocol;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes volume behind an anomaly's share. The kubelet mounts a pod's SMB or NFS volume
 * at {@code .../kubelet/pods/<pod uid>/volumes/<plugin>/<name>/...}, where {@code <name>} is the
 * PersistentVolume's name (CSI drivers, and in-tree plugins when the pod uses a claim) or else
 * the pod's own name for an inline volume; the PersistentVolume's claimRef names the claim. Of the
 * node's mounts of the share, those of the anomaly's pods are preferred; a share that stays
 * ambiguous (several volumes, none of them the pods') gets no volume.
 */
public class VolumeAttribution {
    private static final Logger log = LoggerFactory.getLogger(VolumeAttribution.class);
    private static final Pattern KUBELET_VOLUME =
            Pattern.compile("/kubelet/pods/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/volumes/[^/]+/([^/]+)");
    private static final int MAX_CACHED = 1024;

    private record Cached(Optional<PersistentVolume> pv, long atNs) {}

    private record PodVolume(String podUid, String name, String mountPoint) {}

    private final Path mountinfo;
    private final Function<String, Optional<PersistentVolume>> lookup;
    private final long cacheNs;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> persistentVolumes = new HashMap<>();

    /**
     * @param mountinfo the host's mount table (the host /proc/1/mountinfo in a pod)
     * @param lookup a PersistentVolume by name; empty when there is none or it cannot be read
     * @param cacheNs how long a lookup (found or not) is kept
     */
    public VolumeAttribution(Path mountinfo, Function<String, Optional<PersistentVolume>> lookup, long cacheNs,
            LongSupplier nanoTime) {
        this.mountinfo = mountinfo;
        this.lookup = lookup;
        this.cacheNs = cacheNs;
        this.nanoTime = nanoTime;
    }

    public Optional<VolumeRef> resolve(Protocol protocol, String server, String share, Set<String> podUids) {
        if (server == null || server.isEmpty() || share == null || share.isEmpty()) {
            return Optional.empty();
        }
        List<MountRef> mounts = MountResolver.mounts(mountinfo).stream()
                .filter(m -> m.protocol() == protocol && m.server().equalsIgnoreCase(server) && sameShare(protocol, m.share(), share))
                .toList();
        List<PodVolume> volumes = mounts.stream().map(VolumeAttribution::podVolume).flatMap(Optional::stream).toList();
        List<PodVolume> ofThePods = volumes.stream().filter(v -> podUids.contains(v.podUid())).toList();
        List<PodVolume> candidates = ofThePods.isEmpty() ? volumes : ofThePods;
        if (candidates.isEmpty()) {
            return mounts.size() == 1 ? Optional.of(new VolumeRef(null, null, null, mounts.get(0).mountPoint()))
                    : Optional.empty();
        }
        if (candidates.stream().map(PodVolume::name).distinct().count() > 1) {
            return Optional.empty();
        }
        PodVolume v = candidates.get(0);
        Optional<PersistentVolume> pv = persistentVolume(v.name());
        ObjectReference claim = pv.map(p -> p.getSpec() == null ? null : p.getSpec().getClaimRef()).orElse(null);
        return Optional.of(new VolumeRef(pv.isPresent() ? v.name() : null, claim == null ? null : claim.getNamespace(),
                claim == null ? null : claim.getName(), v.mountPoint()));
    }

    private static boolean sameShare(Protocol protocol, String mounted, String share) {
        return protocol == Protocol.SMB ? mounted.equalsIgnoreCase(share) : mounted.equals(share);
    }

    private static Optional<PodVolume> podVolume(MountRef m) {
        Matcher matcher = KUBELET_VOLUME.matcher(m.mountPoint());
        return matcher.find() ? Optional.of(new PodVolume(matcher.group(1), matcher.group(2), m.mountPoint()))
                : Optional.empty();
    }

    private synchronized Optional<PersistentVolume> persistentVolume(String name) {
        long now = nanoTime.getAsLong();
        Cached c = persistentVolumes.get(name);
        if (c == null || now - c.atNs() >= cacheNs) {
            if (persistentVolumes.size() >= MAX_CACHED) {
                persistentVolumes.clear();
            }
            Optional<PersistentVolume> pv;
            try {
                pv = lookup.apply(name);
            } catch (RuntimeException e) {
                log.debug("cannot read PersistentVolume {}: {}", name, e.getMessage());
                pv = Optional.empty();
            }
            c = new Cached(pv, now);
            persistentVolumes.put(name, c);
        }
        return c.pv();
    }
}
