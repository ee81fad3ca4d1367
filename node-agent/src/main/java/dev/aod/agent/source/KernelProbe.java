package dev.aod.agent.source;

import dev.aod.bpf.BpfException;
import dev.aod.bpf.BpfLink;
import dev.aod.bpf.BpfObject;
import dev.aod.bpf.BpfProgram;
import dev.aod.bpf.VfsFunctions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe's BPF object in the kernel: opened with the core object's maps, loaded with the programs
 * this kernel allows, attached. A probe that may attach partially leaves out a program the kernel
 * lacks (a function absent from kallsyms or from BTF, a tracepoint that does not exist) or rejects,
 * and says so in its status; one that may not fails as a whole. Closing it detaches everything.
 */
final class KernelProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KernelProbe.class);
    private static final int LOG_LINES = 20;
    private static final int MAX_LOAD_ATTEMPTS = 12;
    private static final int EPERM = 1;

    private final ProbeDefinition definition;
    private final Set<String> modulesAtLoad;
    private BpfObject object;
    private final List<BpfLink> links = new ArrayList<>();
    private ProbeStatus status;

    private KernelProbe(ProbeDefinition definition, Set<String> modulesAtLoad) {
        this.definition = definition;
        this.modulesAtLoad = modulesAtLoad;
    }

    ProbeDefinition definition() {
        return definition;
    }

    ProbeStatus status() {
        return status;
    }

    boolean isAttached() {
        return status.state() == ProbeStatus.State.ATTACHED;
    }

    /** Whether a module it would also hook has been loaded since it was opened. */
    boolean missesModule(KernelFacts kernel) {
        return definition.optionalModules().stream().anyMatch(m -> !modulesAtLoad.contains(m) && kernel.hasModule(m));
    }

    static KernelProbe notApplicable(ProbeDefinition definition, String why) {
        KernelProbe probe = new KernelProbe(definition, Set.of());
        probe.status = ProbeStatus.notApplicable(definition.name(), why);
        return probe;
    }

    /** Opens, loads and attaches the probe; never throws for what the kernel lacks or refuses. */
    static KernelProbe open(ProbeDefinition definition, BpfObject core, KernelFacts kernel) {
        Set<String> modules = new LinkedHashSet<>();
        for (String module : definition.modules()) {
            if (!kernel.hasModule(module)) {
                return notApplicable(definition, "the " + module + " module is not loaded on this kernel");
            }
            modules.add(module);
        }
        definition.optionalModules().stream().filter(kernel::hasModule).forEach(modules::add);
        KernelProbe probe = new KernelProbe(definition, modules);
        long started = System.nanoTime();
        try {
            probe.status = probe.load(core, kernel);
        } catch (BpfException e) {
            probe.closeKernelSide();
            probe.status = ProbeStatus.failed(definition.name(), e.getMessage(), e.libbpfLogTail(LOG_LINES));
        }
        log.debug("probe {} opened in {} ms: {}", definition.name(), (System.nanoTime() - started) / 1_000_000,
                probe.status);
        return probe;
    }

    private ProbeStatus load(BpfObject core, KernelFacts kernel) {
        Map<String, String> leftOut = new LinkedHashMap<>();
        Map<String, String> targetOfProgram = new LinkedHashMap<>();
        long loadStarted = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            object = BpfObject.openResource(KernelProbe.class, "/dev/aod/bpf/" + definition.object() + ".bpf.o");
            if (attempt == 1) {
                for (BpfProgram program : object.programs().values()) {
                    targetOfProgram.put(program.name(), program.attachTarget());
                    String missing = missingTarget(program, kernel);
                    if (missing != null) {
                        leftOut.put(program.attachTarget(), missing);
                    }
                }
                log.debug("probe {} checked its targets in {} ms", definition.name(),
                        (System.nanoTime() - loadStarted) / 1_000_000);
                if (!leftOut.isEmpty() && !definition.partial()) {
                    closeKernelSide();
                    return ProbeStatus.failed(definition.name(), String.join("; ", describe(leftOut)), List.of());
                }
            }
            object.shareMapsOf(core);
            if (definition.name().equals(ProbeDefinition.SMB_SESSION)) {
                object.setRodata(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(kernel.hz()).array());
            }
            int enabled = 0;
            for (BpfProgram program : object.programs().values()) {
                boolean load = !leftOut.containsKey(program.attachTarget());
                program.setAutoload(load);
                enabled += load ? 1 : 0;
            }
            if (enabled == 0) {
                closeKernelSide();
                return ProbeStatus.failed(definition.name(), "nothing to attach: " + String.join("; ", describe(leftOut)),
                        List.of());
            }
            try {
                object.load();
                break;
            } catch (BpfException e) {
                closeKernelSide();
                String program = e.failedProgram().orElse(null);
                if (program == null || !definition.partial() || e.errno() == EPERM || attempt == MAX_LOAD_ATTEMPTS
                        || !targetOfProgram.containsKey(program)) {
                    return ProbeStatus.failed(definition.name(), refusal(e), e.libbpfLogTail(LOG_LINES));
                }
                List<String> programLog = e.libbpfLogOf(program);
                String target = targetOfProgram.get(program);
                leftOut.put(target, "rejected: " + lastLine(programLog, e.getMessage()));
                log.debug("probe {}: leaving {} out, libbpf said:\n  {}", definition.name(), target,
                        String.join("\n  ", programLog));
            }
        }
        log.debug("probe {} loaded in {} ms", definition.name(), (System.nanoTime() - loadStarted) / 1_000_000);
        for (BpfProgram program : object.programs().values()) {
            if (leftOut.containsKey(program.attachTarget())) {
                continue;
            }
            try {
                links.add(program.attach());
            } catch (BpfException e) {
                if (!definition.partial()) {
                    closeKernelSide();
                    return ProbeStatus.failed(definition.name(), e.getMessage(), e.libbpfLogTail(LOG_LINES));
                }
                leftOut.put(program.attachTarget(), "not attached: " + e.getMessage());
            }
        }
        detachLeftOut(leftOut.keySet());
        if (links.isEmpty()) {
            closeKernelSide();
            return ProbeStatus.failed(definition.name(), "nothing attached: " + String.join("; ", describe(leftOut)),
                    List.of());
        }
        return ProbeStatus.attached(definition.name(), attachedAs(), watching(leftOut));
    }

    /** Why a program cannot be loaded on this kernel before trying, or null. */
    private String missingTarget(BpfProgram program, KernelFacts kernel) {
        switch (program.attachType()) {
            case "tracepoint":
                return kernel.hasTracepoint(program.attachTarget()) ? null : "tracepoint missing";
            case "tp_btf": {
                String system = definition.tracepoints().stream()
                        .filter(t -> t.endsWith("/" + program.attachTarget())).findFirst().orElse(null);
                return system == null || kernel.hasTracepoint(system) ? null : "tracepoint missing";
            }
            case "fentry":
            case "fexit": {
                String function = program.attachTarget();
                boolean present = modulesAtLoad.stream().anyMatch(m -> kernel.hasFunction(m, function));
                return present ? null : "not in this kernel";
            }
            default:
                return null;
        }
    }

    /** A VFS function is hooked by two programs: when one of them cannot be attached, neither stays. */
    private void detachLeftOut(Set<String> targets) {
        links.removeIf(link -> {
            String target = object.program(link.programName()).attachTarget();
            if (targets.contains(target)) {
                link.close();
                return true;
            }
            return false;
        });
    }

    private String attachedAs() {
        Set<String> types = new LinkedHashSet<>();
        for (BpfLink link : links) {
            types.add(object.program(link.programName()).attachType());
        }
        return String.join("/", types);
    }

    private String watching(Map<String, String> leftOut) {
        Set<String> targets = new LinkedHashSet<>();
        for (BpfLink link : links) {
            targets.add(object.program(link.programName()).attachTarget());
        }
        StringBuilder detail = new StringBuilder();
        if (definition.vfs()) {
            VfsFunctions all = VfsFunctions.of(definition.object());
            detail.append(targets.size()).append(" of ").append(all.all().size()).append(" functions: ")
                    .append(String.join(", ", targets));
        } else {
            detail.append(String.join(", ", targets));
        }
        detail.append(": ").append(definition.watches());
        if (!leftOut.isEmpty()) {
            detail.append("; left out: ").append(String.join(", ", describe(leftOut)));
        }
        return detail.toString();
    }

    private static List<String> describe(Map<String, String> leftOut) {
        return leftOut.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.toList());
    }

    private String refusal(BpfException e) {
        if (e.errno() == EPERM && (definition.vfs() || definition.name().equals(ProbeDefinition.SMB_MID))) {
            return "this kernel refuses fentry/fexit programs: " + e.getMessage();
        }
        return e.failedProgram().map(p -> "the kernel rejected program " + p + ": " + e.getMessage())
                .orElse(e.getMessage());
    }

    private static String lastLine(List<String> lines, String otherwise) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.contains("END PROG LOAD LOG")) {
                return line;
            }
        }
        return otherwise;
    }

    private void closeKernelSide() {
        links.forEach(BpfLink::close);
        links.clear();
        if (object != null) {
            object.close();
            object = null;
        }
    }

    @Override
    public void close() {
        closeKernelSide();
    }
}
