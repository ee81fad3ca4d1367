package dev.aod.agent.source;

import dev.aod.agent.detect.MountKey;
import dev.aod.agent.detect.MountLookup;
import dev.aod.bpf.EventBatch;
import java.util.concurrent.ConcurrentHashMap;

/** The detectors' view of {@link MountResolver}: one {@link MountKey} instance per (server, share). */
public final class ResolvedMounts implements MountLookup {
    private final MountResolver resolver;
    private final ConcurrentHashMap<MountResolver.MountRef, MountKey> keys = new ConcurrentHashMap<>();

    public ResolvedMounts(MountResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public MountKey of(EventBatch batch, int i) {
        MountResolver.MountRef ref = resolver.resolve(batch, i);
        if (!ref.isKnown()) {
            return MountKey.UNKNOWN;
        }
        MountKey key = keys.get(ref);
        return key != null ? key : keys.computeIfAbsent(ref, r -> intern(r.server(), r.share()));
    }

    private MountKey intern(String server, String share) {
        for (MountKey k : keys.values()) {
            if (k.server().equals(server) && k.share().equals(share)) {
                return k;
            }
        }
        return new MountKey(server, share);
    }
}
