package dev.aod.e2e.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aod.e2e.guest.E2ePaths;
import dev.aod.e2e.guest.ExecResult;
import dev.aod.e2e.guest.GuestImage;
import dev.aod.e2e.guest.GuestVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every probe family proven on the guest's real SMB and NFS clients, at the probe level: one
 * {@code aod-agent trace} runs for the whole class and each case reads the events its fault caused.
 * SMB is mounted with cache=strict (/mnt/smb), loose and none, NFS as 4.2 (/mnt/nfs) and 3.
 * Thresholds are 250 ms for every operation of every source, the hung limit 3 s; a 150 ms netem
 * delay on lo makes every request take at least 300 ms. The faults that can break a mount come last,
 * then the trace is stopped, the client modules are unloaded (which the kernel refuses while a BPF
 * program holds them) and loaded again under a new trace, whose probes attach then.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProbesE2E {
    private static final Logger log = LoggerFactory.getLogger(ProbesE2E.class);
    private static final Path RESULTS = E2ePaths.targetDir().resolve("probes");
    private static final Duration COMMAND = Duration.ofMinutes(3);
    private static final double THRESHOLD_MS = 250;
    private static final long SMB_STATUS_ACCESS_DENIED = 0xc0000022L;
    private static final long SMB_STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034L;
    private static final int NFS3 = 128;
    private static final int EACCES = 13;
    private static final int ENOENT = 2;
    private static final int EAGAIN = 11;
    private static final int ESTALE = 116;

    private static final String CONFIG = """
            apiVersion: aod.dev/v1alpha1
            kind: AgentConfig
            outputDir: /tmp/aod-trace
            anomalies:
              - {name: smb-wire, type: latency, protocol: smb, layer: wire, mode: all, defaultThreshold: 250ms, minCount: 1, window: 10s}
              - {name: smb-vfs, type: latency, protocol: smb, layer: vfs, mode: all, defaultThreshold: 250ms, minCount: 1, window: 10s}
              - {name: nfs-wire, type: latency, protocol: nfs, layer: wire, mode: all, defaultThreshold: 250ms, minCount: 1, window: 10s}
              - {name: nfs-vfs, type: latency, protocol: nfs, layer: vfs, mode: all, defaultThreshold: 250ms, minCount: 1, window: 10s}
              - {name: smb-hung, type: hung, protocol: smb, after: 3s}
              - {name: nfs-hung, type: hung, protocol: nfs, after: 3s}
            """;

    /** The other cache= modes, an SMB mount of its own connection for faults, the [denied] share, NFSv3, an NFS mount of its own client. */
    private static final String MOUNTS = """
            set -e
            o=vers=3.1.1,username=aod,password=aodpass
            mkdir -p /mnt/smb-loose /mnt/smb-nocache /mnt/smb-fault /mnt/denied /mnt/nfs3 /mnt/nfs-fault
            mount -t cifs //127.0.0.1/share /mnt/smb-loose -o $o,cache=loose
            mount -t cifs //127.0.0.1/share /mnt/smb-nocache -o $o,cache=none
            mount -t cifs //127.0.0.1/share /mnt/smb-fault -o $o,echo_interval=3
            mount -t cifs //127.0.0.1/denied /mnt/denied -o $o
            mount -t nfs -o vers=3,nolock 127.0.0.1:/srv/nfs /mnt/nfs3
            mount -t nfs -o vers=4.2,nosharecache,timeo=10,retrans=2 127.0.0.1:/srv/nfs /mnt/nfs-fault
            for m in smb smb-loose smb-nocache nfs nfs3; do
                dd if=/dev/urandom of=/mnt/$m/quiet-$m bs=64k count=4 status=none
            done
            cp /bin/dd /usr/local/bin/quiet-dd
            sync
            grep -E ' (cifs|nfs4?) ' /proc/self/mountinfo
            """;

    /** Only the wire probes, for the case that loads the modules after the trace started. */
    private static final String LATE_CONFIG = """
            apiVersion: aod.dev/v1alpha1
            kind: AgentConfig
            outputDir: /tmp/aod-trace-late
            anomalies:
              - {name: smb-wire, type: latency, protocol: smb, layer: wire, mode: all, defaultThreshold: 250ms, minCount: 1, window: 10s}
              - {name: nfs-wire, type: latency, protocol: nfs, layer: wire, mode: all, defaultThreshold: 250ms, minCount: 1, window: 10s}
            """;

    /**
     * Unmounts every SMB and NFS mount and unloads the client modules, which the kernel refuses while
     * a BPF program still holds them; then counts AOD's programs and the client modules left. Says on
     * stderr what held the modules at first and how long unloading took.
     */
    private static final String UNLOAD = """
            set -e
            umount -a -t cifs,nfs,nfs4
            echo "right after: $(bpftool prog show | grep -cE ' name (smb|nfs)' || true) AOD programs," \
                "cifs refcnt $(cat /sys/module/cifs/refcnt), nfs refcnt $(cat /sys/module/nfs/refcnt)" >&2
            start=${EPOCHREALTIME/./}
            for i in $(seq 1 120); do modprobe -r cifs nfsv4 nfsv3 nfs 2>/dev/null && break; sleep 0.5; done
            echo "unloaded after $(( (${EPOCHREALTIME/./} - start) / 1000 )) ms, attempt $i" >&2
            modprobe -r cifs nfsv4 nfsv3 nfs
            echo "programs $(bpftool prog show | grep -cE ' name (smb|nfs)' || true)"
            echo "modules $(lsmod | grep -cE '^(cifs|nfs|nfsv3|nfsv4) ' || true)"
            """;

    private static GuestVm guest;
    private static GuestTrace trace;

    @BeforeAll
    static void bootAndTrace() throws Exception {
        Files.createDirectories(RESULTS);
        guest = GuestVm.boot(GuestImage.ensureBuilt(), E2ePaths.targetDir().resolve("share-probes"), Duration.ofMinutes(5));
        log.info("mounts:\n{}", guest.run(MOUNTS, COMMAND));
        long started = System.nanoTime();
        trace = GuestTrace.start(guest, "trace", CONFIG, Duration.ofMinutes(25));
        log.info("trace attached after {} s", (System.nanoTime() - started) / 1_000_000_000);
    }

    @AfterAll
    static void stopAndPowerOff() throws IOException {
        try {
            if (trace != null) {
                trace.close(); // again, if the last case stopped it already
                Files.writeString(RESULTS.resolve("trace.err"), trace.stderr());
                assertThat(trace.stderr()).as("nothing was dropped").doesNotContain("dropped ");
            }
        } finally {
            if (guest != null) {
                guest.close();
            }
        }
    }

    @Test
    @Order(1)
    void everyProbeIsAttachedAndSaysHow() throws IOException {
        List<String> report = trace.capabilityReport();
        Files.write(RESULTS.resolve("capability-report.txt"), report);
        log.info("capability report, as printed in the guest:\n{}", String.join("\n", report));

        assertThat(report).hasSize(9);
        assertThat(report).allSatisfy(line -> assertThat(line).contains(": attached (").doesNotContain("left out"));
        assertThat(report).anySatisfy(l -> assertThat(l).startsWith("smb-wire: attached (tracepoint) — "))
                .anySatisfy(l -> assertThat(l).startsWith("smb-mid: attached (fexit/fentry) — "))
                .anySatisfy(l -> assertThat(l).startsWith("smb-session: attached (tp_btf) — "))
                .anySatisfy(l -> assertThat(l).startsWith("smb-vfs: attached (fentry/fexit) — 40 of 40 functions"))
                .anySatisfy(l -> assertThat(l).startsWith("nfs-rpc: attached (tp_btf) — "))
                .anySatisfy(l -> assertThat(l).startsWith("nfs-session: attached (tp_btf) — "))
                .anySatisfy(l -> assertThat(l).startsWith("nfs-vfs: attached (fentry/fexit) — 37 of 37 functions"))
                .anySatisfy(l -> assertThat(l).startsWith("smb-hung: attached (in-flight map scan) — "))
                .anySatisfy(l -> assertThat(l).startsWith("nfs-hung: attached (in-flight map scan) — "));
    }

    @Test
    @Order(2)
    void aHealthyWorkloadOnEveryMountCrossesNothing() throws Exception {
        int mark = trace.mark();
        guest.run("""
                set -e
                for round in 1 2 3; do
                    for m in smb smb-loose smb-nocache nfs nfs3; do
                        quiet-dd if=/mnt/$m/quiet-$m of=/dev/null bs=64k count=4 status=none
                        quiet-dd if=/dev/zero of=/mnt/$m/quiet-$m bs=64k count=4 conv=notrunc status=none
                        stat /mnt/$m/quiet-$m >/dev/null
                        ls /mnt/$m >/dev/null
                    done
                done
                sync
                """, COMMAND);
        Thread.sleep(1500);

        assertThat(trace.since(mark)).as("events of a healthy run").isEmpty();
    }

    @Test
    @Order(3)
    void smbWireAndVfsLatencyOnEveryCacheMode() throws Exception {
        List<TraceEvent> events = slowedWritesAndReads("SMB latency", "smb", "smb-loose", "smb-nocache");

        List<TraceEvent> wire = events.stream().filter(e -> e.is("smb-wire", "SLOW")).toList();
        assertThat(wire).isNotEmpty().allSatisfy(e -> {
            assertThat(e.latencyMs()).isGreaterThanOrEqualTo(THRESHOLD_MS);
            assertThat(e.requestId()).as("mid").isPositive();
            assertThat(e.connId()).as("connection id, from smb-mid").isPositive();
            assertThat(e.server()).isEqualTo("127.0.0.1");
            if (e.operation().equals("SMB2_ECHO")) {
                // cifs's keep-alive, sent by its echo worker outside any session and tree
                assertThat(e.sessionId()).isZero();
                assertThat(e.treeId()).isZero();
                assertThat(e.comm()).startsWith("kworker/");
            } else {
                assertThat(e.sessionId()).isNotZero();
            }
        });
        for (String command : List.of("SMB2_WRITE", "SMB2_READ", "SMB2_FLUSH", "SMB2_CREATE")) {
            assertThat(wire).as(command).anySatisfy(e -> {
                assertThat(e.operation()).isEqualTo(command);
                assertThat(e.comm()).as("the issuer, not cifsd").isEqualTo("dd");
                assertThat(e.treeId()).isNotZero();
                assertThat(e.share()).isEqualTo("share");
            });
        }
        assertThat(wire).as("compounded requests (create, query, close)")
                .anySatisfy(e -> assertThat(e.flags()).contains("COMPOUND"));
        assertThat(wire).as("responses the server sent async after an interim STATUS_PENDING")
                .anySatisfy(e -> assertThat(e.flags()).contains("ASYNC"));

        Map<String, String> mountOfFunction = Map.of(
                "cifs_strict_writev", "/mnt/smb", "cifs_strict_readv", "/mnt/smb",
                "cifs_file_write_iter", "/mnt/smb-loose", "cifs_loose_read_iter", "/mnt/smb-loose",
                "cifs_direct_writev", "/mnt/smb-nocache", "cifs_direct_readv", "/mnt/smb-nocache");
        mountOfFunction.forEach((function, mount) -> assertThat(events).as(function).anySatisfy(e -> {
            assertThat(e.is("smb-vfs", "SLOW")).isTrue();
            assertThat(e.function()).isEqualTo(function);
            assertThat(e.operation()).isEqualTo(function.contains("read") ? "read" : "write");
            assertThat(e.mountPoint()).isEqualTo(mount);
            assertThat(e.latencyMs()).isGreaterThanOrEqualTo(THRESHOLD_MS);
            assertThat(e.comm()).isEqualTo("dd");
            assertThat(e.errno()).isZero();
        }));
    }

    @Test
    @Order(4)
    void nfsRpcAndVfsLatencyOnNfs4AndNfs3() throws Exception {
        List<TraceEvent> events = slowedWritesAndReads("NFS latency", "nfs", "nfs3");

        List<TraceEvent> rpc = events.stream().filter(e -> e.is("nfs-rpc", "SLOW")).toList();
        assertThat(rpc).isNotEmpty().allSatisfy(e -> {
            assertThat(e.latencyMs()).isGreaterThanOrEqualTo(THRESHOLD_MS);
            assertThat(e.connId()).as("RPC client").isPositive();
            assertThat(e.server()).isEqualTo("127.0.0.1");
        });
        for (String mount : List.of("/mnt/nfs", "/mnt/nfs3")) {
            boolean v3 = mount.endsWith("3");
            for (String procedure : List.of("WRITE", "READ")) {
                assertThat(rpc).as(procedure + " on " + mount).anySatisfy(e -> {
                    assertThat(e.operation()).isEqualTo(procedure);
                    assertThat(e.command() >= NFS3).as("NFSv3 procedure code").isEqualTo(v3);
                    assertThat(e.requestId()).as("xid").isNotZero();
                    assertThat(e.mountPoint()).isEqualTo(mount);
                    assertThat(e.comm()).isEqualTo("dd");
                });
            }
            for (String op : List.of("read", "write")) {
                assertThat(events).as(op + " on " + mount).anySatisfy(e -> {
                    assertThat(e.is("nfs-vfs", "SLOW")).isTrue();
                    assertThat(e.function()).isEqualTo("nfs_file_" + op);
                    assertThat(e.mountPoint()).isEqualTo(mount);
                    assertThat(e.latencyMs()).isGreaterThanOrEqualTo(THRESHOLD_MS);
                    assertThat(e.comm()).isEqualTo("dd");
                });
            }
        }
    }

    @Test
    @Order(5)
    void smbErrorsCarryTheNtStatusAndErrno() throws Exception {
        List<TraceEvent> events = eventsOf("SMB error", () -> guest.exec("""
                touch /mnt/denied/new-file
                for m in smb smb-loose smb-nocache; do echo gone >/mnt/$m/removed-$m; done
                rm /srv/smb/removed-*
                sleep 1.5
                for m in smb smb-loose smb-nocache; do cat /mnt/$m/removed-$m; done
                """, COMMAND));

        assertThat(events).as("the [denied] share").anySatisfy(e -> {
            assertThat(e.is("smb-wire", "ERROR")).isTrue();
            assertThat(e.operation()).isEqualTo("SMB2_CREATE");
            assertThat(e.status()).isEqualTo(SMB_STATUS_ACCESS_DENIED);
            assertThat(e.errno()).isEqualTo(-EACCES);
            assertThat(e.comm()).isEqualTo("touch");
            assertThat(e.share()).isEqualTo("denied");
        }).anySatisfy(e -> {
            assertThat(e.is("smb-vfs", "ERROR")).isTrue();
            assertThat(e.operation()).isEqualTo("open");
            assertThat(e.errno()).isEqualTo(-EACCES);
            assertThat(e.mountPoint()).isEqualTo("/mnt/denied");
        });
        assertThat(events.stream().filter(e -> e.is("smb-wire", "ERROR") && e.comm().equals("cat")))
                .as("a file removed on the server, opened through each cache= mount").hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(e -> {
                    assertThat(e.operation()).isEqualTo("SMB2_CREATE");
                    assertThat(e.status()).isEqualTo(SMB_STATUS_OBJECT_NAME_NOT_FOUND);
                    assertThat(e.errno()).isEqualTo(-ENOENT);
                    assertThat(e.share()).isEqualTo("share");
                });
        for (String mount : List.of("/mnt/smb", "/mnt/smb-loose", "/mnt/smb-nocache")) {
            assertThat(events).as("the open's return code on " + mount).anySatisfy(e -> {
                assertThat(e.is("smb-vfs", "ERROR")).isTrue();
                assertThat(e.function()).isEqualTo("cifs_open");
                assertThat(e.errno()).isEqualTo(-ENOENT);
                assertThat(e.mountPoint()).isEqualTo(mount);
                assertThat(e.comm()).isEqualTo("cat");
            });
        }
    }

    @Test
    @Order(6)
    void nfsErrorsOfBothVersions() throws Exception {
        guest.run("""
                echo gone >/mnt/nfs/removed-4
                echo gone >/mnt/nfs3/removed-3
                """, COMMAND);
        List<TraceEvent> events = eventsOf("NFS error", () -> guest.exec("""
                exec 3</mnt/nfs3/removed-3
                rm /srv/nfs/removed-4 /srv/nfs/removed-3
                echo 3 >/proc/sys/vm/drop_caches
                cat /mnt/nfs/removed-4
                cat <&3
                """, COMMAND));

        // drop_caches leaves no dentry: the open goes by name and the server answers NFS4ERR_NOENT
        assertThat(events).as("NFSv4: the removed file's OPEN").anySatisfy(e -> {
            assertThat(e.is("nfs-rpc", "ERROR")).isTrue();
            assertThat(e.operation()).isEqualTo("OPEN");
            assertThat(e.command()).isLessThan(NFS3);
            assertThat(e.errno()).isEqualTo(-ENOENT);
            assertThat(e.mountPoint()).isEqualTo("/mnt/nfs");
            assertThat(e.comm()).isEqualTo("cat");
        }).anySatisfy(e -> {
            assertThat(e.is("nfs-vfs", "ERROR")).isTrue();
            assertThat(e.function()).isEqualTo("nfs_atomic_open");
            assertThat(e.operation()).isEqualTo("open");
            assertThat(e.errno()).isEqualTo(-ENOENT);
            assertThat(e.mountPoint()).isEqualTo("/mnt/nfs");
        });
        assertThat(events).as("NFSv3: reading the removed file through an open descriptor").anySatisfy(e -> {
            assertThat(e.is("nfs-rpc", "ERROR")).isTrue();
            assertThat(e.operation()).isEqualTo("READ");
            assertThat(e.command()).isGreaterThanOrEqualTo(NFS3);
            assertThat(e.errno()).isEqualTo(-ESTALE);
            assertThat(e.mountPoint()).isEqualTo("/mnt/nfs3");
        }).anySatisfy(e -> {
            assertThat(e.is("nfs-vfs", "ERROR")).isTrue();
            assertThat(e.function()).isEqualTo("nfs_file_read");
            assertThat(e.errno()).isEqualTo(-ESTALE);
            assertThat(e.mountPoint()).isEqualTo("/mnt/nfs3");
        });
    }

    @Test
    @Order(7)
    void bpfRunTimeCostPerProbeUnderFio() throws Exception {
        Path script = guest.shareDir().resolve("bpf-cost.sh");
        Files.copy(E2ePaths.moduleDir().resolve("../bench/bpf-cost.sh"), script, StandardCopyOption.REPLACE_EXISTING);
        String table = guest.run("bash /host/bpf-cost.sh --seconds 15 /mnt/smb /mnt/smb-nocache /mnt/nfs /mnt/nfs3",
                Duration.ofMinutes(5));
        Files.writeString(RESULTS.resolve("bpf-cost.txt"), table);
        log.info("BPF run-time cost per probe (TCG guest):\n{}", table);

        Map<String, String[]> rows = table.lines().filter(l -> l.matches("^(smb|nfs)-\\S+\\s+.*"))
                .map(l -> l.trim().split("\\s+")).collect(Collectors.toMap(r -> r[0], r -> r));
        for (String probe : List.of("smb-wire", "smb-mid", "smb-vfs", "nfs-rpc", "nfs-vfs")) {
            assertThat(rows).containsKey(probe);
            assertThat(Long.parseLong(rows.get(probe)[2])).as("%s runs", probe).isPositive();
            assertThat(Double.parseDouble(rows.get(probe)[4])).as("%s ns per run", probe).isPositive();
        }
        assertThat(guest.run("sysctl -n kernel.bpf_stats_enabled", COMMAND).strip()).as("switched back off").isEqualTo("0");
    }

    @Test
    @Order(8)
    void aFirewallDropMakesSmbRequestsHungThenTheConnectionReconnects() throws Exception {
        int mark = trace.mark();
        guest.run("""
                iptables -A INPUT -p tcp --dport 445 -j DROP
                iptables -A INPUT -p tcp --sport 445 -j DROP
                (dd if=/dev/zero of=/mnt/smb-fault/hung bs=64k count=1 conv=fsync status=none; echo $? >/tmp/hung-dd.rc) \
                    >/dev/null 2>&1 </dev/null &
                """, COMMAND);
        TraceEvent hung;
        TraceEvent reconnect;
        try {
            hung = trace.await(mark, e -> e.is("smb-wire", "HUNG") && e.comm().equals("dd"), Duration.ofSeconds(60),
                    "of a hung SMB request of dd");
            long connection = hung.connId();
            reconnect = trace.await(mark, e -> e.is("smb-wire", "SESSION") && e.operation().equals("reconnect")
                    && e.connId() == connection, Duration.ofSeconds(90), "of a reconnect of connection " + connection);
        } finally {
            guest.run("iptables -F INPUT", COMMAND);
        }
        guest.run("""
                for i in $(seq 1 120); do [ -f /tmp/hung-dd.rc ] && break; sleep 0.5; done
                for i in $(seq 1 60); do
                    dd if=/dev/zero of=/mnt/smb-fault/after bs=4k count=1 conv=fsync status=none 2>/dev/null && exit 0
                    sleep 1
                done
                exit 1
                """, COMMAND);
        List<TraceEvent> events = settle(mark);
        log.info("SMB hung and reconnect events:\n{}", lines(events));

        assertThat(hung.latencyMs()).as("age when found").isGreaterThanOrEqualTo(3000);
        assertThat(hung.sessionId()).isNotZero();
        assertThat(hung.requestId()).as("mid").isPositive();
        assertThat(hung.server()).isEqualTo("127.0.0.1");
        assertThat(events.stream().filter(e -> e.is("smb-wire", "HUNG") && e.requestId() == hung.requestId()
                && e.sessionId() == hung.sessionId())).as("each hung request reported once").hasSize(1);
        assertThat(reconnect.server()).isEqualTo("127.0.0.1");
        assertThat(reconnect.comm()).as("the connection's demultiplex thread, which reconnects").isEqualTo("cifsd");
        assertThat(events).as("the hung request, failed by the reconnect").anySatisfy(e -> {
            assertThat(e.is("smb-wire", "ERROR")).isTrue();
            assertThat(e.requestId()).isEqualTo(hung.requestId());
            assertThat(e.errno()).isEqualTo(-EAGAIN);
            assertThat(e.comm()).isEqualTo("dd");
        });
        assertThat(events).as("cifs's own report of the hung request (smb3_slow_rsp) when its mid was freed")
                .anySatisfy(e -> {
                    assertThat(e.is("smb-wire", "SESSION")).isTrue();
                    assertThat(e.operation()).isEqualTo("slow_response");
                    assertThat(e.requestId()).isEqualTo(hung.requestId());
                    assertThat(e.status()).as("its command").isEqualTo(hung.command());
                    assertThat(e.latencyMs()).as("sent until freed, unanswered").isGreaterThan(hung.latencyMs());
                    assertThat(e.connId()).isEqualTo(hung.connId());
                    assertThat(e.server()).isEqualTo("127.0.0.1");
                    assertThat(e.comm()).isEqualTo("dd");
                });
    }

    @Test
    @Order(9)
    void anNfsServerStoppedAndRestartedGivesTimeoutsRetransmitsAndRecovery() throws Exception {
        guest.run("""
                rm -f /tmp/nfs-loop.*
                (i=0; while [ ! -f /tmp/nfs-loop.stop ]; do
                    i=$((i + 1))
                    dd if=/dev/zero of=/mnt/nfs-fault/loop-$((i % 4)) bs=16k count=1 conv=fsync status=none \
                        && echo "$i" >/tmp/nfs-loop.done
                done) >/dev/null 2>&1 </dev/null &
                echo $! >/tmp/nfs-loop.pid
                for i in $(seq 1 60); do [ -f /tmp/nfs-loop.done ] && break; sleep 0.5; done
                """, COMMAND);
        int mark = trace.mark();
        TraceEvent timeout;
        TraceEvent hung;
        TraceEvent recovered;
        try {
            // requests are on their way (netem) when the server goes: they must be sent again after it is back
            guest.run("tc qdisc add dev lo root netem delay 100ms && sleep 1 && rpc.nfsd 0 && tc qdisc del dev lo root",
                    COMMAND);
            String doneBefore;
            try {
                timeout = trace.await(mark, e -> e.is("nfs-rpc", "SESSION") && e.operation().equals("rpc_timeout"),
                        Duration.ofSeconds(60), "of an RPC timeout");
                hung = trace.await(mark, e -> e.is("nfs-rpc", "HUNG") && e.mountPoint().equals("/mnt/nfs-fault"),
                        Duration.ofSeconds(60), "of a hung RPC of /mnt/nfs-fault");
                Thread.sleep(5000);
                doneBefore = guest.run("cat /tmp/nfs-loop.done", COMMAND).strip();
            } finally {
                guest.run("rpc.nfsd 4", COMMAND);
            }
            long xid = hung.requestId();
            recovered = trace.await(mark, e -> (e.is("nfs-rpc", "SLOW") || e.is("nfs-rpc", "ERROR"))
                    && e.requestId() == xid, Duration.ofSeconds(120), "of the end of the hung RPC " + xid);
            guest.run("""
                    before=%s
                    for i in $(seq 1 120); do [ "$(cat /tmp/nfs-loop.done)" -gt "$before" ] && exit 0; sleep 0.5; done
                    exit 1
                    """.formatted(doneBefore), COMMAND);
        } finally {
            guest.run("touch /tmp/nfs-loop.stop; for i in $(seq 1 120); do "
                    + "kill -0 $(cat /tmp/nfs-loop.pid) 2>/dev/null || break; sleep 0.5; done", COMMAND);
        }
        List<TraceEvent> events = settle(mark);
        log.info("NFS server stop and restart events:\n{}", lines(events));

        assertThat(timeout.connId()).isPositive();
        assertThat(timeout.aux()).as("timeouts so far").isPositive();
        assertThat(timeout.server()).isEqualTo("127.0.0.1");
        assertThat(hung.latencyMs()).isGreaterThanOrEqualTo(3000);
        assertThat(hung.comm()).isEqualTo("dd");
        assertThat(hung.requestId()).as("xid, noted when the task got its slot").isNotZero();
        assertThat(events.stream().filter(e -> e.is("nfs-rpc", "HUNG") && e.requestId() == hung.requestId()))
                .as("each hung request reported once").hasSize(1);
        assertThat(events).as("the hung request timed out").anySatisfy(e -> {
            assertThat(e.is("nfs-rpc", "SESSION")).isTrue();
            assertThat(e.operation()).isEqualTo("rpc_timeout");
            assertThat(e.requestId()).isEqualTo(hung.requestId());
        });
        assertThat(events).as("the hung request, sent again once the server was back").anySatisfy(e -> {
            assertThat(e.is("nfs-rpc", "SESSION")).isTrue();
            assertThat(e.operation()).isEqualTo("retransmit");
            assertThat(e.requestId()).isEqualTo(hung.requestId());
            assertThat(e.status()).as("its procedure").isEqualTo(hung.command());
            assertThat(e.aux()).as("transmissions").isGreaterThanOrEqualTo(1);
            assertThat(e.comm()).isEqualTo("dd");
        });
        assertThat(recovered.latencyMs()).as("the hung request's end, after the server came back")
                .isGreaterThan(hung.latencyMs());
        assertThat(recovered.mountPoint()).isEqualTo("/mnt/nfs-fault");
    }

    @Test
    @Order(10)
    void probesAttachWhenTheModulesComeAfterTheTraceAndLetThemGoWhenItStops() throws Exception {
        trace.close();
        assertThat(unload()).as("no AOD program left, cifs and nfs unloaded").containsExactly("programs 0", "modules 0");

        GuestTrace late = GuestTrace.start(guest, "late", LATE_CONFIG, Duration.ofMinutes(5));
        try {
            List<String> report = late.capabilityReport();
            log.info("capability report without cifs and nfs:\n{}", String.join("\n", report));
            assertThat(report).contains("smb-wire: not applicable — the cifs module is not loaded on this kernel",
                    "nfs-rpc: not applicable — the nfs module is not loaded on this kernel");

            guest.run("""
                    set -e
                    modprobe cifs
                    modprobe nfsv4
                    mount -t cifs //127.0.0.1/share /mnt/smb -o vers=3.1.1,username=aod,password=aodpass
                    mount -t nfs -o vers=4.2 127.0.0.1:/srv/nfs /mnt/nfs
                    """, COMMAND);
            for (String probe : List.of("smb-wire: attached (tracepoint)", "smb-mid: attached (fexit/fentry)",
                    "smb-session: attached (tp_btf)", "nfs-rpc: attached (tp_btf)", "nfs-session: attached (tp_btf)")) {
                log.info("later: {}", late.awaitProbe(probe, Duration.ofMinutes(2)));
            }
            int mark = late.mark();
            withNetem("""
                    dd if=/dev/zero of=/mnt/smb/late bs=64k count=1 conv=fsync status=none
                    dd if=/dev/zero of=/mnt/nfs/late bs=64k count=1 conv=fsync status=none
                    """);
            Thread.sleep(2000);
            List<TraceEvent> events = late.since(mark);
            log.info("events once attached:\n{}", lines(events));
            assertThat(events).as("the write on the SMB share mounted after the trace started").anySatisfy(e -> {
                assertThat(e.is("smb-wire", "SLOW")).isTrue();
                assertThat(e.operation()).isEqualTo("SMB2_WRITE");
                assertThat(e.latencyMs()).isGreaterThanOrEqualTo(THRESHOLD_MS);
                assertThat(e.connId()).as("from smb-mid, attached later too").isPositive();
                assertThat(e.share()).isEqualTo("share");
                assertThat(e.comm()).isEqualTo("dd");
            }).anySatisfy(e -> {
                assertThat(e.is("nfs-rpc", "SLOW")).isTrue();
                assertThat(e.operation()).isEqualTo("WRITE");
                assertThat(e.latencyMs()).isGreaterThanOrEqualTo(THRESHOLD_MS);
                assertThat(e.mountPoint()).isEqualTo("/mnt/nfs");
                assertThat(e.comm()).isEqualTo("dd");
            });
        } finally {
            late.close();
        }
        assertThat(late.stderr()).doesNotContain("dropped ");
        assertThat(unload()).as("the programs attached later are gone too").containsExactly("programs 0", "modules 0");
    }

    private static List<String> unload() {
        ExecResult result = guest.exec(UNLOAD, COMMAND);
        log.info("unloading cifs and nfs: {}", result.stderr().strip());
        assertThat(result.succeeded()).as("unloaded: %s", result).isTrue();
        return result.stdout().lines().toList();
    }

    /** Writes (O_DSYNC) and reads back, caches dropped, 128 KiB on each /mnt/NAME under the netem delay; what crossed. */
    private static List<TraceEvent> slowedWritesAndReads(String what, String... mounts) throws InterruptedException {
        return eventsOf(what, () -> withNetem("""
                for m in %s; do
                    dd if=/dev/zero of=/mnt/$m/lat-$m bs=64k count=2 oflag=dsync status=none
                    echo 3 >/proc/sys/vm/drop_caches
                    dd if=/mnt/$m/lat-$m of=/dev/null bs=64k count=2 status=none
                done
                """.formatted(String.join(" ", mounts))));
    }

    /** The events {@code fault} caused (logged), once the trace has caught up. */
    private static List<TraceEvent> eventsOf(String what, Runnable fault) throws InterruptedException {
        int mark = trace.mark();
        fault.run();
        List<TraceEvent> events = settle(mark);
        log.info("{} events:\n{}", what, lines(events));
        return events;
    }

    private static void withNetem(String workload) {
        guest.run("tc qdisc add dev lo root netem delay 150ms", COMMAND);
        try {
            guest.run("set -e\n" + workload, COMMAND);
        } finally {
            guest.run("tc qdisc del dev lo root", COMMAND);
        }
    }

    /** The events after {@code mark}, once the drain (every 100 ms) and the hung scan (every second) have caught up. */
    private static List<TraceEvent> settle(int mark) throws InterruptedException {
        Thread.sleep(2000);
        return trace.since(mark);
    }

    private static String lines(List<TraceEvent> events) {
        return events.stream().map(TraceEvent::toString).collect(Collectors.joining("\n"));
    }
}
