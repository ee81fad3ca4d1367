package dev.aod.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.images.check.TracepointAttachCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why each capability of the leastPrivileged profile is there: in the agent image, in the pod the
 * operator creates from the chart's defaults, a check for what each one is for passes with the
 * whole set (and with containerd's default seccomp profile instead of the pod's Unconfined) and
 * fails without that one capability, while the other checks still pass. Checks for what the profile does not allow
 * (the privileged profile's: blocked tasks' kernel stacks, packet capture, an ftrace instance) fail
 * with the whole set. The table is logged and written to target/images-it/capabilities.md.
 */
@ExtendWith(ImagesExtension.class)
class AgentCapabilitiesIT {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCapabilitiesIT.class);

    /**
     * A shell check run in the container. NEEDS: the capabilities without which it must fail;
     * OUTSIDE: the profile does not allow it at all.
     */
    record Check(String name, List<String> needs, boolean outside, String script) {
        static Check requiring(String name, List<String> needs, String script) {
            return new Check(name, needs, false, script);
        }

        static Check notAllowed(String name, String script) {
            return new Check(name, List.of(), true, script);
        }
    }

    private static LocalEngine engine;
    private static String image;
    private static Path dir;
    private static Process nonRootProcess;
    private static List<Check> checks;

    @BeforeAll
    static void prepare(LocalEngine localEngine, LocalImages images) throws Exception {
        Path selftest = Path.of(System.getProperty("aod.selftest.bpf"));
        if (!Files.isRegularFile(selftest)) {
            throw new IllegalStateException(selftest + " does not exist: build bpf's test objects first "
                    + "(mvn -pl bpf test-compile)");
        }
        engine = localEngine;
        LeastPrivileged.prepareHost();
        image = engine.copyToContainerd(images.build("agent").tag());
        dir = ImagesExtension.work().resolve("capabilities");
        LocalEngine.removeTree(dir);
        Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("bpf"));
        Files.copy(selftest, dir.resolve("bpf/aod_selftest.bpf.o"));

        // A host process of root with every capability, and one of another user (as a pod's would be).
        long rootPid = ProcessHandle.current().pid();
        nonRootProcess = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "sleep", "900").start();
        long nonRootPid = nonRootProcess.pid();

        String attach = "java -cp /opt/aod/aod-agent.jar:/check " + TracepointAttachCheck.class.getName()
                + " /check-bpf/aod_selftest.bpf.o /host/proc";
        checks = List.of(
                Check.requiring("bpf-tracepoint", List.of("BPF", "PERFMON"), attach),
                Check.requiring("kernel-log", List.of("SYSLOG"), "dmesg | tail -n 1"),
                Check.requiring("host-process", List.of("SYS_PTRACE"),
                        "readlink /host/proc/" + rootPid + "/exe && cat /host/proc/" + rootPid + "/wchan"),
                Check.requiring("pod-mountstats", List.of("DAC_READ_SEARCH"),
                        "head -n 1 /host/proc/" + nonRootPid + "/mountstats"),
                Check.requiring("btf", List.of(), "head -c 4 /sys/kernel/btf/vmlinux | od -An -tx1"),
                Check.requiring("tracepoint-id", List.of(), "cat /sys/kernel/tracing/events/syscalls/sys_enter_getppid/id"),
                Check.requiring("host-mounts", List.of(), "grep -c . /host/proc/" + rootPid + "/mountinfo"),
                Check.notAllowed("blocked-task-stack", "cat /host/proc/" + rootPid + "/stack"),
                Check.notAllowed("packet-capture",
                        "timeout 2 tcpdump -i lo -w /dev/null 2>&1 | tail -n 1; test ${PIPESTATUS[0]} -eq 124"),
                Check.notAllowed("ftrace-instance",
                        "mkdir /sys/kernel/tracing/instances/aod-it-$$ && rmdir /sys/kernel/tracing/instances/aod-it-$$"));
    }

    @AfterAll
    static void stopNonRootProcess() throws InterruptedException {
        if (nonRootProcess != null) {
            nonRootProcess.destroy();
            nonRootProcess.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachCapabilityIsNeededForWhatItIsGrantedFor() throws Exception {
        List<String> granted = pod().capabilities();
        assertThat(granted).as("what the chart's agent pod adds: each has its checks here")
                .containsExactlyInAnyOrderElementsOf(LeastPrivileged.names());
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        table.put("leastPrivileged", runChecks(pod()));
        table.put("leastPrivileged, seccomp RuntimeDefault", runChecks(pod().seccompRuntimeDefault()));
        for (String dropped : granted) {
            table.put("without " + dropped, runChecks(pod().withoutCapability(dropped)));
        }
        String report = report(table);
        Files.writeString(ImagesExtension.work().resolve("capabilities.md"), report);
        LOG.info("capability checks in the agent image:\n{}", report);

        for (Map.Entry<String, Map<String, String>> row : table.entrySet()) {
            String dropped = row.getKey().startsWith("without ") ? row.getKey().substring("without ".length()) : null;
            for (Check check : checks) {
                String result = row.getValue().get(check.name());
                boolean expectOk = !check.outside() && (dropped == null || !check.needs().contains(dropped));
                assertThat(result).as("%s: %s", row.getKey(), check.name()).startsWith(expectOk ? "ok" : "failed");
            }
        }
    }

    /** The chart's agent pod, with the check's classes and BPF object mounted. */
    private static CtrContainer.Spec pod() throws Exception {
        Path classes = Path.of(TracepointAttachCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return LeastPrivileged.pod(image, dir.resolve("data"), dir.resolve("config"))
                .bind(classes.toString(), "/check", true)
                .bind(dir.resolve("bpf").toString(), "/check-bpf", true);
    }

    private Map<String, String> runChecks(CtrContainer.Spec spec) throws Exception {
        StringBuilder script = new StringBuilder("set -o pipefail\n");
        for (Check check : checks) {
            script.append("out=$( (").append(check.script()).append(") 2>&1 ); rc=$?; ")
                    .append("printf 'CHECK %s %s: %s\\n' '").append(check.name()).append("' ")
                    .append("\"$([ $rc -eq 0 ] && echo ok || echo failed)\" \"$(printf '%s' \"$out\" | tail -n 1)\"\n");
        }
        Commands.Result r = CtrContainer.run(engine, spec, List.of("bash", "-c", script.toString()), Duration.ofMinutes(2));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        Map<String, String> results = new LinkedHashMap<>();
        r.stdout().lines().filter(l -> l.startsWith("CHECK ")).forEach(l -> {
            String rest = l.substring("CHECK ".length());
            results.put(rest.substring(0, rest.indexOf(' ')), rest.substring(rest.indexOf(' ') + 1));
        });
        assertThat(results.keySet()).as(r.describe()).containsExactlyElementsOf(checks.stream().map(Check::name).toList());
        return results;
    }

    private static String report(Map<String, Map<String, String>> table) {
        List<String> lines = new ArrayList<>();
        lines.add("# Capability checks (AgentCapabilitiesIT)");
        lines.add("");
        lines.add("| check | needs | " + String.join(" | ", table.keySet()) + " |");
        lines.add("|---|---|" + "---|".repeat(table.size()));
        for (Check check : checks) {
            String needs = check.outside() ? "not in the profile" : String.join(", ", check.needs());
            lines.add("| " + check.name() + " | " + needs + " | "
                    + table.values().stream().map(row -> row.get(check.name()).startsWith("ok") ? "ok" : "fails")
                            .collect(Collectors.joining(" | ")) + " |");
        }
        lines.add("");
        lines.add("What each check printed with the leastPrivileged profile (last line):");
        lines.add("");
        table.values().iterator().next().forEach((name, result) -> lines.add("- " + name + ": " + result));
        return String.join("\n", lines) + "\n";
    }
}
