package dev.aod.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The VFS probes' logic (vfs.bpf.h) in the host kernel, which refuses fentry: the selftest object
 * calls the same enter and exit functions from raw_tp programs, the way a hooked function's fentry
 * and fexit programs would.
 */
class VfsIT {
    private static final int READ = 0;
    private static final int FSYNC = 5;
    private static final int LOOKUP = 8;
    private static final int FN_STRICT_READV = 0;
    private static final int FN_FSYNC = 11;
    private static final int FN_WRITEPAGES = 38;
    private static final int DEV = (0 << 20) | 31;

    private Selftest selftest;

    @BeforeEach
    void load() {
        selftest = new Selftest();
    }

    @AfterEach
    void close() {
        if (selftest != null) {
            selftest.close();
        }
    }

    @Test
    void aSlowCallCrossesWithItsFunctionInodeAndCaller() {
        selftest.threshold(EventLayout.SOURCE_SMB_VFS, READ, 0);
        selftest.run("vfs_start", FN_STRICT_READV);
        selftest.run("vfs_end", FN_STRICT_READV, READ, 65536, DEV, 4242);

        List<Event> events = selftest.drain();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo(EventLayout.SOURCE_SMB_VFS);
            assertThat(e.kind()).isEqualTo(EventLayout.KIND_SLOW);
            assertThat(e.command()).isEqualTo(READ);
            assertThat(e.aux()).isEqualTo(FN_STRICT_READV);
            assertThat(e.dev()).isEqualTo(DEV);
            assertThat(e.requestId()).isEqualTo(4242);
            assertThat(e.error()).as("a byte count is no error").isZero();
            assertThat(e.tgid()).isEqualTo(ProcessHandle.current().pid());
        });
        assertThat(selftest.entries("vfs_starts")).isZero();
    }

    @Test
    void aFastCallStaysInTheKernel() {
        selftest.threshold(EventLayout.SOURCE_SMB_VFS, READ, 60_000_000_000L);
        selftest.run("vfs_start", FN_STRICT_READV);
        selftest.run("vfs_end", FN_STRICT_READV, READ, 4096, DEV, 1);

        assertThat(selftest.drain()).isEmpty();
    }

    @Test
    void aNegativeReturnCrossesAsAnErrorAndSoDoesAnErrorPointer() {
        selftest.run("vfs_start", FN_FSYNC);
        selftest.run("vfs_end", FN_FSYNC, FSYNC, -5, DEV, 1);
        selftest.run("vfs_start", 22);
        selftest.run("vfs_end", 22, LOOKUP, 0xfffffffffffffffeL, DEV, 2);

        assertThat(selftest.drain()).extracting(Event::kind, Event::error, Event::command).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EventLayout.KIND_ERROR, -5, FSYNC),
                org.assertj.core.groups.Tuple.tuple(EventLayout.KIND_ERROR, -2, LOOKUP));
    }

    @Test
    void aPointerReturnedByLookupIsNoError() {
        selftest.run("vfs_start", 22);
        selftest.run("vfs_end", 22, LOOKUP, 0xffff888012345678L, DEV, 2);

        assertThat(selftest.drain()).isEmpty();
    }

    @Test
    void callsNestedInOneTaskAreMeasuredApart() {
        selftest.threshold(EventLayout.SOURCE_SMB_VFS, FSYNC, 0);
        selftest.run("vfs_start", FN_FSYNC);
        selftest.run("vfs_start", FN_WRITEPAGES);
        selftest.run("vfs_end", FN_WRITEPAGES, 20, 0, DEV, 3);
        selftest.run("vfs_end", FN_FSYNC, FSYNC, 0, DEV, 3);

        assertThat(selftest.drain()).extracting(Event::aux).containsExactly(FN_FSYNC);
        assertThat(selftest.entries("vfs_starts")).isZero();
    }

    @Test
    void anExitWithoutAnEntryIsIgnored() {
        selftest.run("vfs_end", FN_FSYNC, FSYNC, -5, DEV, 1);

        assertThat(selftest.drain()).isEmpty();
    }
}
