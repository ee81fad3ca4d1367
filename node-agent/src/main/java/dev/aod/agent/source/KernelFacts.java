package dev.aod.agent.source;

import dev.aod.bpf.BpfException;
import dev.aod.bpf.Tracefs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** What the running kernel offers the probes: loaded modules, tracepoints, module functions, HZ. */
public class KernelFacts {
    static final int DEFAULT_HZ = 250;
    private static final Pattern CONFIG_HZ = Pattern.compile("^CONFIG_HZ=(\\d+)$", Pattern.MULTILINE);

    private final Path proc;
    private final Path sysModule;
    private Map<String, Set<String>> functionsByModule;
    private Integer hz;

    public KernelFacts(Path proc, Path sysModule) {
        this.proc = proc;
        this.sysModule = sysModule;
    }

    public static KernelFacts running() {
        return new KernelFacts(Path.of("/proc"), Path.of("/sys/module"));
    }

    public boolean hasModule(String module) {
        return Files.isDirectory(sysModule.resolve(module));
    }

    public boolean hasTracepoint(String systemAndEvent) {
        try {
            return Tracefs.hasTracepoint(systemAndEvent);
        } catch (BpfException e) {
            return false;
        }
    }

    /** Whether {@code function} of {@code module} is in kallsyms (neither absent nor inlined everywhere). */
    public synchronized boolean hasFunction(String module, String function) {
        if (functionsByModule == null) {
            functionsByModule = readModuleFunctions(proc.resolve("kallsyms"));
        }
        return functionsByModule.getOrDefault(module, Set.of()).contains(function);
    }

    /** Forgets the module functions read so far: modules were loaded since. */
    public synchronized void forgetFunctions() {
        functionsByModule = null;
    }

    /** The kernel's CONFIG_HZ from its build configuration; DEFAULT_HZ where that is not readable. */
    public synchronized int hz() {
        if (hz == null) {
            hz = readHz();
        }
        return hz;
    }

    private int readHz() {
        String release;
        try {
            release = Files.readString(proc.resolve("sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            release = "";
        }
        for (Path config : List.of(Path.of("/boot/config-" + release), Path.of("/lib/modules/" + release + "/config"))) {
            try {
                Matcher m = CONFIG_HZ.matcher(Files.readString(config));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            } catch (IOException e) {
                // try the next place
            }
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(proc.resolve("config.gz")))) {
            Matcher m = CONFIG_HZ.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        } catch (IOException e) {
            // not built with IKCONFIG_PROC
        }
        return DEFAULT_HZ;
    }

    static Map<String, Set<String>> readModuleFunctions(Path kallsyms) {
        Map<String, Set<String>> functions = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(kallsyms),
                StandardCharsets.US_ASCII), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                // "ffffffffc0a1b2c0 t cifs_strict_readv\t[cifs]"
                int bracket = line.indexOf('[');
                if (bracket < 0 || line.length() < 20) {
                    continue;
                }
                char type = line.charAt(17);
                if (type != 't' && type != 'T') {
                    continue;
                }
                String name = line.substring(19, bracket).strip();
                String module = line.substring(bracket + 1, line.indexOf(']', bracket));
                functions.computeIfAbsent(module, m -> new HashSet<>()).add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + kallsyms, e);
        }
        return functions;
    }
}
