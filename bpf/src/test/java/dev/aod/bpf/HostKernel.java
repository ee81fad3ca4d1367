package dev.aod.bpf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/** The preconditions of tests that load BPF into the build machine's own kernel. */
final class HostKernel {
    private HostKernel() {}

    static void assumeBpf() {
        assumeTrue(new UnixSystem().getUid() == 0, "loading BPF needs root (CAP_BPF, CAP_PERFMON); run as root");
        assumeTrue(Files.exists(Path.of("/sys/kernel/btf/vmlinux")), "the host kernel has no BTF");
    }
}
