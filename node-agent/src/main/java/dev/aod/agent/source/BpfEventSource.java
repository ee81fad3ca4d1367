package dev.aod.agent.source;

import dev.aod.bpf.BpfException;
import dev.aod.bpf.BpfObject;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.EventLayout;
import dev.aod.bpf.RingBufferReader;
import dev.aod.bpf.Tracefs;
import dev.aod.config.AgentConfig;
import dev.aod.config.LatencySpec;
import dev.aod.protocol.OperationTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel probes of aod.bpf.o. A probe whose module is absent is reported not applicable and its
 * programs are not loaded; when the module appears later, {@link #refresh} loads everything again.
 */
public final class BpfEventSource implements EventSource {
    static final String SMB_WIRE = "smb-wire";
    private static final List<String> SMB_WIRE_PROGRAMS = List.of("smb3_cmd_enter", "smb3_cmd_done", "smb3_cmd_err");
    private static final int LIBBPF_LOG_LINES = 20;

    private final Path sysModule;
    private AgentConfig config;
    private BpfObject object;
    private RingBufferReader ring;
    private List<ProbeStatus> probes = List.of();

    public BpfEventSource() {
        this(Path.of("/sys/module"));
    }

    BpfEventSource(Path sysModule) {
        this.sysModule = sysModule;
    }

    @Override
    public synchronized List<ProbeStatus> start(AgentConfig config) {
        this.config = config;
        closeKernelSide();
        probes = open();
        return probes;
    }

    private List<ProbeStatus> open() {
        boolean cifs = Files.isDirectory(sysModule.resolve("cifs"));
        ProbeStatus smbWire = cifs ? null
                : ProbeStatus.notApplicable(SMB_WIRE, "the cifs module is not loaded on this kernel");
        try {
            if (cifs) {
                Tracefs.ensureMounted();
                for (String program : SMB_WIRE_PROGRAMS) {
                    if (!Tracefs.hasTracepoint("cifs/" + program)) {
                        smbWire = ProbeStatus.failed(SMB_WIRE, "tracepoint cifs/" + program
                                + " does not exist in this kernel", List.of());
                    }
                }
            }
            object = BpfObject.openResource(BpfEventSource.class, "/dev/aod/bpf/aod.bpf.o");
            boolean loadSmbWire = smbWire == null;
            SMB_WIRE_PROGRAMS.forEach(p -> object.program(p).setAutoload(loadSmbWire));
            object.load();
            pushThresholds();
            ring = RingBufferReader.open(object.map("events"));
            if (loadSmbWire) {
                for (String program : SMB_WIRE_PROGRAMS) {
                    object.program(program).attach();
                }
                smbWire = ProbeStatus.attached(SMB_WIRE, "tracepoint",
                        "cifs/smb3_cmd_enter, smb3_cmd_done, smb3_cmd_err: latency per SMB2 command, errors");
            }
        } catch (BpfException e) {
            closeKernelSide();
            smbWire = ProbeStatus.failed(SMB_WIRE, e.getMessage(), e.libbpfLogTail(LIBBPF_LOG_LINES));
        }
        return List.of(smbWire);
    }

    /** The kernel lets a completion through when it reaches the lowest threshold any anomaly has for its command. */
    private void pushThresholds() {
        long[] lowest = new long[EventLayout.CMD_SLOTS];
        Arrays.fill(lowest, EventLayout.NO_THRESHOLD);
        for (LatencySpec a : config.anomalies(LatencySpec.class)) {
            if (Sources.of(a.protocol(), a.layer()) != EventLayout.SOURCE_SMB_WIRE) {
                continue;
            }
            long ceiling = a.ceiling().toNanos();
            OperationTable table = OperationTable.of(a.protocol(), a.layer());
            a.thresholds().forEach((op, threshold) -> table.codes(op).orElseThrow().forEach(slot -> {
                long ns = Math.min(threshold.toNanos(), ceiling);
                lowest[slot] = lowest[slot] == EventLayout.NO_THRESHOLD ? ns : Math.min(lowest[slot], ns);
            }));
        }
        var thresholds = object.map("thresholds");
        for (int command = 0; command < EventLayout.CMD_SLOTS; command++) {
            thresholds.putLong(EventLayout.thresholdSlot(EventLayout.SOURCE_SMB_WIRE, command), lowest[command]);
        }
    }

    @Override
    public synchronized int poll(EventBatch batch) {
        return ring == null ? 0 : ring.drain(batch);
    }

    @Override
    public synchronized List<ProbeStatus> refresh() {
        boolean waitingForCifs = probes.stream()
                .anyMatch(p -> p.probe().equals(SMB_WIRE) && p.state() == ProbeStatus.State.NOT_APPLICABLE);
        if (config != null && waitingForCifs && Files.isDirectory(sysModule.resolve("cifs"))) {
            closeKernelSide();
            probes = open();
        }
        return probes;
    }

    @Override
    public synchronized List<ProbeStatus> probes() {
        return probes;
    }

    @Override
    public synchronized Map<String, Long> drops() {
        Map<String, Long> drops = new LinkedHashMap<>();
        if (object == null || !object.isLoaded()) {
            return drops;
        }
        var map = object.map("drops");
        drops.put(SMB_WIRE + ".ringbuf_full",
                map.sumPerCpuLong(EventLayout.dropSlot(EventLayout.SOURCE_SMB_WIRE, EventLayout.DROP_RINGBUF_FULL)));
        drops.put(SMB_WIRE + ".inflight_full",
                map.sumPerCpuLong(EventLayout.dropSlot(EventLayout.SOURCE_SMB_WIRE, EventLayout.DROP_INFLIGHT_FULL)));
        return drops;
    }

    private void closeKernelSide() {
        if (ring != null) {
            ring.close();
            ring = null;
        }
        if (object != null) {
            object.close();
            object = null;
        }
    }

    @Override
    public synchronized void close() {
        closeKernelSide();
    }
}
