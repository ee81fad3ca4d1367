package dev.aod.e2e.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Boots the guest once and checks that it offers what the other e2e tests build on. */
class GuestHarnessE2E {
        private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
        private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(1);
        private static final Path WORK_DIR = E2ePaths.targetDir().resolve("e2e/GuestHarnessE2E");
        private static final Path FACTS_DIR = E2ePaths.targetDir().resolve("guest-facts");

        private static GuestVm vm;

        @BeforeAll
        static void bootGuest() throws Exception {
                vm = GuestVm.boot(GuestImage.ensureBuilt(), WORK_DIR.resolve("share"), READY_TIMEOUT);
        }

        @AfterAll
        static void powerOffAndKeepLogs() throws IOException {
                if (vm == null) {
                        return;
                }
                vm.close();
                Files.createDirectories(FACTS_DIR);
                Files.copy(vm.consoleLog(), FACTS_DIR.resolve("console.log"), StandardCopyOption.REPLACE_EXISTING);
                if (Files.exists(vm.guestInitLog())) {
                        Files.copy(vm.guestInitLog(), FACTS_DIR.resolve("guest-init.log"), StandardCopyOption.REPLACE_EXISTING);
                }
        }

        @Test
        void everyGuestInitStepSucceeded() throws IOException {
                assertThat(Files.readAllLines(vm.guestInitLog()))
                                .as("guest-init.log")
                                .noneMatch(line -> line.contains("FAILED"))
                                .anyMatch(line -> line.contains("ready: all steps succeeded"));
        }

        @Test
        void smbAndNfsSharesAreMounted() {
                Map<String, String> typeByMountPoint = vm.run("cat /proc/mounts", COMMAND_TIMEOUT).lines()
                                .map(line -> line.split(" "))
                                .collect(Collectors.toMap(fields -> fields[1], fields -> fields[2], (a, b) -> b));

                assertThat(typeByMountPoint).containsEntry("/mnt/smb", "cifs").containsEntry("/mnt/nfs", "nfs4");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"/mnt/smb, /srv/smb", "/mnt/nfs, /srv/nfs"})
        void fileWrittenThroughTheMountReachesTheServerAndReadsBack(String mountPoint, String exportDir) {
                String content = "written through " + mountPoint + " " + UUID.randomUUID();
                String script = """
                                set -euo pipefail
                                printf '%%s' '%1$s' > %2$s/smoke.txt
                                sync
                                echo 3 > /proc/sys/vm/drop_caches
                                echo "client: $(cat %2$s/smoke.txt)"
                                echo "server: $(cat %3$s/smoke.txt)"
                                rm %2$s/smoke.txt
                                """.formatted(content, mountPoint, exportDir);

                assertThat(vm.run(script, COMMAND_TIMEOUT).lines())
                                .containsExactly("client: " + content, "server: " + content);
        }

        @Test
        void deniedShareCanBeListedButNotWritten() {
                String script = """
                                set -euo pipefail
                                mkdir -p /mnt/denied
                                mount -t cifs //127.0.0.1/denied /mnt/denied -o vers=3.1.1,username=aod,password=aodpass
                                trap 'umount /mnt/denied' EXIT
                                ls /mnt/denied
                                if touch /mnt/denied/new 2>/dev/null; then echo "write allowed"; else echo "write denied"; fi
                                """;

                assertThat(vm.run(script, COMMAND_TIMEOUT).lines()).containsExactly("README", "write denied");
        }

        @Test
        void cifsModuleHasBtfAndTracepoints() {
                ExecResult result = vm.exec(
                                "test -e /sys/kernel/btf/cifs && test -e /sys/kernel/tracing/events/cifs/smb3_cmd_enter",
                                COMMAND_TIMEOUT);

                assertThat(result.exitCode()).as("%s", result).isZero();
        }

        @Test
        void netemDelayOnLoopbackCanBeAddedAndRemoved() {
                String withDelay = vm.run("tc qdisc add dev lo root netem delay 100ms && tc qdisc show dev lo", COMMAND_TIMEOUT);
                String restored = vm.run("tc qdisc del dev lo root && tc qdisc show dev lo", COMMAND_TIMEOUT);

                assertThat(withDelay).contains("netem").contains("delay 100ms");
                assertThat(restored).doesNotContain("netem");
        }

        @Test
        void javaRuns() {
                ExecResult result = vm.exec("java -version", Duration.ofMinutes(2));

                assertThat(result.exitCode()).as("%s", result).isZero();
                assertThat(result.stderr()).contains("version \"17");
        }

        /** Not a check: copies what the probe authors need to know about this kernel to target/guest-facts. */
        @Test
        void collectGuestFacts() throws IOException {
                String script = """
                                set -uo pipefail
                                facts=/host/facts
                                events=/sys/kernel/tracing/events
                                rm -rf "$facts" && mkdir -p "$facts"
                                for event in cifs/smb3_cmd_enter cifs/smb3_cmd_done cifs/smb3_cmd_err cifs/smb3_slow_rsp \\
                                                cifs/smb3_reconnect cifs/smb3_credit_timeout sunrpc/rpc_task_begin sunrpc/rpc_task_end \\
                                                sunrpc/rpc_stats_latency sunrpc/xprt_retransmit sunrpc/rpc_timeout_status; do
                                        if [[ -f "$events/$event/format" ]]; then
                                                cat "$events/$event/format" > "$facts/${event/\\//-}.format"
                                        fi
                                done
                                ls "$events/cifs" "$events/sunrpc" "$events/nfs" "$events/nfs4" > "$facts/tracepoint-events.txt" 2>&1
                                bpftool btf dump file /sys/kernel/btf/cifs --base-btf /sys/kernel/btf/vmlinux format c \\
                                        | grep -A12 'struct trace_event_raw_smb3_cmd' > "$facts/cifs-trace_event_raw_smb3_cmd.h"
                                cat /proc/fs/cifs/Stats > "$facts/proc-fs-cifs-Stats.txt"
                                grep -E 'CIFS_STATS2|CIFS_DEBUG' /boot/config-* > "$facts/kernel-config-cifs.txt"
                                cat /proc/mounts > "$facts/mounts.txt"
                                uname -a > "$facts/uname.txt"
                                """;

                vm.run(script, COMMAND_TIMEOUT);

                Files.createDirectories(FACTS_DIR);
                try (Stream<Path> facts = Files.list(vm.shareDir().resolve("facts"))) {
                        for (Path fact : facts.toList()) {
                                Files.copy(fact, FACTS_DIR.resolve(fact.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        }
                }
                assertThat(FACTS_DIR.resolve("cifs-smb3_cmd_enter.format")).exists();
                assertThat(List.of("cifs-trace_event_raw_smb3_cmd.h", "proc-fs-cifs-Stats.txt"))
                                .allSatisfy(name -> assertThat(FACTS_DIR.resolve(name)).isNotEmptyFile());
        }
}
