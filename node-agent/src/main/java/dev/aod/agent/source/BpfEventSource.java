package dev.aod.agent.source;

import dev.aod.bpf.BpfException;
import dev.aod.bpf.BpfObject;
import dev.aod.bpf.Event;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.bpf.RingBufferReader;
import dev.aod.config.AgentConfig;
import dev.aod.config.ErrorSpec;
import dev.aod.config.LatencySpec;
import dev.aod.protocol.Layer;
import dev.aod.protocol.OperationTable;
import dev.aod.protocol.Protocol;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AOD's kernel probes. The core object (aod.bpf.o) holds the maps every probe shares; each probe is
 * an object of its own ({@link ProbeDefinition}), so one that the kernel lacks or refuses never
 * takes the others with it. A probe whose module is absent is reported not applicable and attaches
 * when the module appears ({@link #refresh}); the VFS probes are loaded only while an anomaly of the
 * configuration watches that layer (or {@code allProbes} is asked for), since they hook dozens of
 * functions. Hung requests are found here, in user space, by scanning the in-flight maps.
 */
public final class BpfEventSource implements EventSource {
    private static final Logger log = LoggerFactory.getLogger(BpfEventSource.class);
    public static final String SMB_WIRE = ProbeDefinition.SMB_WIRE;
    static final String SMB_HUNG = "smb-hung";
    static final String NFS_HUNG = "nfs-hung";
    private static final String[] DROP_REASONS = {"ringbuf_full", "inflight_full"};
    private static final int LOG_LINES = 20;
    /** The source whose requests a probe starts or ends: its gate is closed while the probe is opened. */
    private static final Map<String, Integer> GATED_SOURCE = Map.of(
            ProbeDefinition.SMB_WIRE, EventLayout.SOURCE_SMB_WIRE,
            ProbeDefinition.SMB_MID, EventLayout.SOURCE_SMB_WIRE,
            ProbeDefinition.NFS_RPC, EventLayout.SOURCE_NFS_RPC);
    private static final int OPENING_THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final KernelFacts kernel;
    private final boolean allProbes;
    private AgentConfig config;
    private BpfObject core;
    private RingBufferReader ring;
    private HungScanner hung;
    private ProbeStatus coreFailure;
    private final Map<String, KernelProbe> probes = new LinkedHashMap<>();
    private final ArrayDeque<Event> pendingHung = new ArrayDeque<>();

    public BpfEventSource() {
        this(KernelFacts.running(), false);
    }

    /** @param allProbes load the VFS probes whatever the configuration watches (capability report, tracing) */
    public BpfEventSource(boolean allProbes) {
        this(KernelFacts.running(), allProbes);
    }

    BpfEventSource(KernelFacts kernel, boolean allProbes) {
        this.kernel = kernel;
        this.allProbes = allProbes;
    }

    /** Loads what this kernel allows for {@code config}; called again with a new configuration, it only adapts. */
    @Override
    public synchronized List<ProbeStatus> start(AgentConfig config) {
        this.config = config;
        long started = System.nanoTime();
        if (core == null && coreFailure == null) {
            openCore();
            log.debug("core object loaded in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
        if (core != null) {
            long pushing = System.nanoTime();
            pushThresholds();
            log.debug("thresholds pushed in {} ms", (System.nanoTime() - pushing) / 1_000_000);
            hung.configure(config);
            openProbes();
        }
        return probes();
    }

    private void openCore() {
        try {
            core = BpfObject.openResource(BpfEventSource.class, "/dev/aod/bpf/aod.bpf.o");
            core.load();
            ring = RingBufferReader.open(core.map("events"));
            hung = new HungScanner(HungScanner.Table.of(core.map("smb_inflight")),
                    HungScanner.Table.of(core.map("nfs_inflight")));
        } catch (BpfException e) {
            closeKernelSide();
            coreFailure = ProbeStatus.failed("core", "the shared BPF maps cannot be created: " + e.getMessage(),
                    e.libbpfLogTail(LOG_LINES));
        }
    }

    /**
     * Opens every probe that is wanted and not yet open, side by side (loading dozens of fentry
     * programs takes a while), and closes the VFS probes no longer wanted.
     */
    private void openProbes() {
        List<ProbeDefinition> toOpen = new ArrayList<>();
        for (ProbeDefinition definition : ProbeDefinition.ALL) {
            KernelProbe current = probes.get(definition.name());
            String unwanted = unwanted(definition);
            if (unwanted != null) {
                if (current != null) {
                    current.close();
                }
                probes.put(definition.name(), KernelProbe.notApplicable(definition, unwanted));
                continue;
            }
            boolean reopen = current == null
                    || (current.status().state() == ProbeStatus.State.NOT_APPLICABLE && applicableNow(definition, toOpen))
                    || (current.isAttached() && current.missesModule(kernel));
            if (reopen) {
                if (current != null) {
                    current.close();
                }
                toOpen.add(definition);
            }
        }
        if (toOpen.isEmpty()) {
            return;
        }
        for (ProbeDefinition definition : toOpen) {
            Integer gated = GATED_SOURCE.get(definition.name());
            if (gated != null) {
                setGate(gated, false);
            }
        }
        // Something is (re)opened because modules came since: smb-mid and the VFS probes check their
        // functions against kallsyms, which must be read again.
        kernel.forgetFunctions();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(toOpen.size(), OPENING_THREADS), r -> {
            Thread t = new Thread(r, "aod-probe-open");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<KernelProbe>> opening = new LinkedHashMap<>();
            // Submitted in definition order, a probe's requirement is always running before the probe waits on it.
            for (ProbeDefinition definition : toOpen) {
                Future<KernelProbe> required = definition.requires() == null ? null : opening.get(definition.requires());
                KernelProbe requiredNow = definition.requires() == null ? null : probes.get(definition.requires());
                opening.put(definition.name(), pool.submit(() -> {
                    KernelProbe requirement = required != null ? required.get() : requiredNow;
                    boolean modulesLoaded = definition.modules().stream().allMatch(kernel::hasModule);
                    if (modulesLoaded && requirement != null && !requirement.isAttached()) {
                        return KernelProbe.notApplicable(definition,
                                "it completes the requests of " + definition.requires() + ", which is not attached");
                    }
                    return KernelProbe.open(definition, core, kernel);
                }));
            }
            Set<String> pending = new HashSet<>(opening.keySet());
            for (Map.Entry<String, Future<KernelProbe>> f : opening.entrySet()) {
                probes.put(f.getKey(), f.getValue().get());
                pending.remove(f.getKey());
                openSettledGates(pending);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the probes", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("opening a probe failed unexpectedly", e.getCause());
        } finally {
            pool.shutdown();
        }
        List<KernelProbe> ordered = new ArrayList<>();
        ProbeDefinition.ALL.forEach(d -> ordered.add(probes.get(d.name())));
        probes.clear();
        ordered.forEach(p -> probes.put(p.definition().name(), p));
    }

    /**
     * Lets a wire probe record requests once every probe that ends them is settled, without waiting
     * for the VFS probes, which take longest to load: smb-wire with smb-mid (whose release hook ends
     * echoes and requests that die in a reconnect), nfs-rpc. A request started while the programs
     * were being attached one by one could end unseen and be reported hung by mistake.
     */
    private void openSettledGates(Set<String> pending) {
        if (!pending.contains(ProbeDefinition.SMB_WIRE) && !pending.contains(ProbeDefinition.SMB_MID)) {
            hung.smbMidAttached(isAttached(ProbeDefinition.SMB_MID));
            setGate(EventLayout.SOURCE_SMB_WIRE, isAttached(ProbeDefinition.SMB_WIRE));
        }
        if (!pending.contains(ProbeDefinition.NFS_RPC)) {
            setGate(EventLayout.SOURCE_NFS_RPC, isAttached(ProbeDefinition.NFS_RPC));
        }
    }

    private boolean isAttached(String probe) {
        KernelProbe p = probes.get(probe);
        return p != null && p.isAttached();
    }

    private void setGate(int source, boolean open) {
        core.map("gates").putInt(source, open ? 1 : 0);
    }

    /** Whether a probe not applicable so far can be opened now; its requirement may be opened in the same pass. */
    private boolean applicableNow(ProbeDefinition definition, List<ProbeDefinition> opening) {
        if (!definition.modules().stream().allMatch(kernel::hasModule)) {
            return false;
        }
        if (definition.requires() == null || opening.stream().anyMatch(d -> d.name().equals(definition.requires()))) {
            return true;
        }
        KernelProbe required = probes.get(definition.requires());
        return required != null && required.isAttached();
    }

    /** Why the configuration does not need a probe, or null when it does. */
    private String unwanted(ProbeDefinition definition) {
        if (!definition.vfs() || allProbes) {
            return null;
        }
        boolean watched = config.anomalies(LatencySpec.class).stream()
                .anyMatch(a -> a.protocol() == definition.protocol() && a.layer() == Layer.VFS)
                || config.anomalies(ErrorSpec.class).stream()
                        .anyMatch(a -> a.protocol() == definition.protocol() && a.layer() == Layer.VFS);
        return watched ? null : "no anomaly of the configuration watches " + definition.protocol()
                + " at the VFS layer (it hooks dozens of functions, so it is loaded only when one does)";
    }

    /**
     * The kernel lets a completion through when it reaches the lowest threshold any anomaly has for
     * its command (capped at the anomaly's ceiling); errors always cross.
     */
    private void pushThresholds() {
        long[][] lowest = thresholds(config);
        var thresholds = core.map("thresholds");
        for (int source = 1; source < lowest.length; source++) {
            for (int command = 0; command < EventLayout.CMD_SLOTS; command++) {
                thresholds.putLong(EventLayout.thresholdSlot(source, command), lowest[source][command]);
            }
        }
    }

    static long[][] thresholds(AgentConfig config) {
        long[][] lowest = new long[EventLayout.SOURCE_NFS_VFS + 1][EventLayout.CMD_SLOTS];
        for (long[] slots : lowest) {
            Arrays.fill(slots, EventLayout.NO_THRESHOLD);
        }
        for (LatencySpec a : config.anomalies(LatencySpec.class)) {
            long[] slots = lowest[Sources.of(a.protocol(), a.layer())];
            long ceiling = a.ceiling().toNanos();
            OperationTable table = OperationTable.of(a.protocol(), a.layer());
            a.thresholds().forEach((op, threshold) -> table.codes(op).orElseThrow().forEach(slot -> {
                long ns = Math.min(threshold.toNanos(), ceiling);
                slots[slot] = slots[slot] == EventLayout.NO_THRESHOLD ? ns : Math.min(slots[slot], ns);
            }));
        }
        return lowest;
    }

    @Override
    public synchronized int poll(EventBatch batch) {
        if (ring == null) {
            return 0;
        }
        int n = ring.drain(batch);
        long now = System.nanoTime();
        if (hung.due(now)) {
            pendingHung.addAll(hung.scan(now));
        }
        while (!pendingHung.isEmpty() && !batch.isFull()) {
            batch.add(pendingHung.poll());
            n++;
        }
        return n;
    }

    @Override
    public synchronized List<ProbeStatus> refresh() {
        if (config != null && core != null) {
            openProbes();
        }
        return probes();
    }

    @Override
    public synchronized List<ProbeStatus> probes() {
        List<ProbeStatus> statuses = new ArrayList<>();
        if (coreFailure != null) {
            statuses.add(coreFailure);
            for (ProbeDefinition definition : ProbeDefinition.ALL) {
                statuses.add(ProbeStatus.failed(definition.name(), "the shared BPF maps could not be created",
                        List.of()));
            }
            return statuses;
        }
        probes.values().forEach(p -> statuses.add(p.status()));
        if (hung != null && !probes.isEmpty()) {
            statuses.add(hungStatus(SMB_HUNG, Protocol.SMB, ProbeDefinition.SMB_WIRE));
            statuses.add(hungStatus(NFS_HUNG, Protocol.NFS, ProbeDefinition.NFS_RPC));
        }
        return statuses;
    }

    private ProbeStatus hungStatus(String name, Protocol protocol, String wire) {
        Duration limit = hung.limit(protocol);
        if (limit == null) {
            return ProbeStatus.notApplicable(name, "no hung anomaly of the configuration watches " + protocol);
        }
        KernelProbe wireProbe = probes.get(wire);
        if (wireProbe == null || !wireProbe.isAttached()) {
            return ProbeStatus.notApplicable(name, "it scans the requests in flight of " + wire + ", which is not attached");
        }
        String unwatched = protocol == Protocol.SMB && !hung.watchesSessionlessSmbRequests()
                ? "; not requests of session 0 (echo, negotiate, first session setup leg), whose end only smb-mid sees"
                : "";
        return ProbeStatus.attached(name, "in-flight map scan", "requests of " + wire + " not completed after "
                + limit.toMillis() + " ms, each reported once with its age" + unwatched);
    }

    /** Events the kernel could not deliver, per probe and reason ({@code smb-wire.ringbuf_full}, …). */
    @Override
    public synchronized Map<String, Long> drops() {
        Map<String, Long> drops = new LinkedHashMap<>();
        if (core == null || !core.isLoaded()) {
            return drops;
        }
        var map = core.map("drops");
        for (ProbeDefinition definition : ProbeDefinition.ALL) {
            for (int reason = 0; reason < DROP_REASONS.length; reason++) {
                drops.put(definition.name() + "." + DROP_REASONS[reason],
                        map.sumPerCpuLong(EventLayout.dropSlot(definition.dropProbe(), reason)));
            }
        }
        return drops;
    }

    private void closeKernelSide() {
        probes.values().forEach(KernelProbe::close);
        probes.clear();
        if (ring != null) {
            ring.close();
            ring = null;
        }
        if (core != null) {
            core.close();
            core = null;
        }
        hung = null;
    }

    @Override
    public synchronized void close() {
        closeKernelSide();
    }
}
