package dev.aod.agent.kube;

import dev.aod.agent.attribute.CgroupPaths;
import dev.aod.agent.attribute.CgroupResolver;
import dev.aod.agent.attribute.Workload;
import dev.aod.api.v1alpha1.ProcessRef;
import dev.aod.api.v1alpha1.VolumeRef;
import dev.aod.bpf.Event;
import dev.aod.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The processes behind an anomaly's events, most requests first, with their pod and container:
 * the cgroup id the probe recorded, else the process's /proc/PID/cgroup, gives the pod UID and the
 * container ID; the pods on the node give their names. The share's volume comes from
 * {@link VolumeAttribution}.
 */
public final class Attribution {
    public static final int TOP = 5;

    private final CgroupResolver cgroups;
    private final Path proc;
    private final PodDirectory pods;
    private final VolumeAttribution volumes;

    public Attribution(CgroupResolver cgroups, Path proc, PodDirectory pods, VolumeAttribution volumes) {
        this.cgroups = cgroups;
        this.proc = proc;
        this.pods = pods;
        this.volumes = volumes;
    }

    private static final class Tally {
        final Event first;
        long count;

        Tally(Event first) {
            this.first = first;
        }
    }

    /** The top processes, the UIDs of the pods they run in, and the volume of the share (null: not told). */
    public record Attributed(List<ProcessRef> top, Set<String> podUids, VolumeRef volume) {}

    /** Who made the events of an anomaly on a share, and which volume the share is. */
    public Attributed attribute(Protocol protocol, String server, String share, List<Event> events) {
        Map<Integer, Tally> byProcess = new LinkedHashMap<>();
        for (Event e : events) {
            int process = e.tgid() != 0 ? e.tgid() : e.pid();
            byProcess.computeIfAbsent(process, k -> new Tally(e)).count++;
        }
        List<Map.Entry<Integer, Tally>> sorted = new ArrayList<>(byProcess.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<Integer, Tally> t) -> t.getValue().count).reversed());
        List<ProcessRef> top = new ArrayList<>();
        Set<String> podUids = new LinkedHashSet<>();
        for (Map.Entry<Integer, Tally> t : sorted.subList(0, Math.min(TOP, sorted.size()))) {
            Event e = t.getValue().first;
            Optional<Workload> workload = workload(e.cgroupId(), t.getKey());
            workload.filter(Workload::isPod).ifPresent(w -> podUids.add(w.podUid()));
            Optional<PodDirectory.PodRef> pod = workload.filter(Workload::isPod)
                    .flatMap(w -> pods == null ? Optional.empty() : pods.find(w.podUid(), w.containerId()));
            String comm = e.comm() == null || e.comm().isEmpty() ? null
                    : e.comm().length() > 16 ? e.comm().substring(0, 16) : e.comm();
            top.add(new ProcessRef(pod.map(PodDirectory.PodRef::namespace).orElse(null),
                    pod.map(PodDirectory.PodRef::pod).orElse(null), pod.map(PodDirectory.PodRef::container).orElse(null),
                    comm, t.getKey() == 0 ? null : (long) t.getKey(), t.getValue().count));
        }
        VolumeRef volume = volumes == null ? null : volumes.resolve(protocol, server, share, podUids).orElse(null);
        return new Attributed(top, podUids, volume);
    }

    Optional<Workload> workload(long cgroupId, int pid) {
        if (cgroupId != 0 && cgroups != null) {
            Optional<Workload> w = cgroups.resolve(cgroupId);
            if (w.isPresent()) {
                return w;
            }
        }
        if (pid == 0 || proc == null) {
            return Optional.empty();
        }
        try {
            return CgroupPaths.unifiedPath(Files.readString(proc.resolve(Integer.toString(pid)).resolve("cgroup")))
                    .map(CgroupPaths::parse);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
