package dev.aod.images.check;

import dev.aod.bpf.BpfException;
import dev.aod.bpf.BpfLink;
import dev.aod.bpf.BpfObject;
import dev.aod.bpf.EventBatch;
import dev.aod.bpf.RingBufferReader;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;

/**
 * Runs inside the agent image, on the classes of its jar: loads bpf's self-test object, attaches its
 * tracepoint program (syscalls/sys_enter_getppid) and counts the records it writes for 50 getppid()
 * calls. The agent's own probes attach nothing on a kernel without cifs and nfs, so this is what
 * shows here that the capability set can load and attach a tracing program. Exit 0: attached and
 * every record arrived; 1: refused (the message says by what).
 *
 * <p>Arguments: the object file, and the host's /proc when the container has its own PID namespace.
 */
public final class TracepointAttachCheck {
    private static final int CALLS = 50;

    public interface LibC {
        int getppid();
    }

    private TracepointAttachCheck() {}

    /** The kernel reports tgids of the initial PID namespace; the host's /proc resolves self to ours there. */
    private static int hostPid(String[] args) throws java.io.IOException {
        if (args.length > 1) {
            return Integer.parseInt(Files.readSymbolicLink(Path.of(args[1], "self")).toString());
        }
        return (int) ProcessHandle.current().pid();
    }

    public static void main(String[] args) throws Exception {
        byte[] elf = Files.readAllBytes(Path.of(args[0]));
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        try (BpfObject selftest = BpfObject.open("aod_selftest", elf)) {
            selftest.programs().values().forEach(p -> p.setAutoload(p.name().equals("on_getppid")));
            selftest.load();
            selftest.map("target_tgid").putInt(0, hostPid(args));
            try (RingBufferReader ring = RingBufferReader.open(selftest.map("events"));
                    BpfLink link = selftest.program("on_getppid").attach()) {
                for (int i = 0; i < CALLS; i++) {
                    libc.getppid();
                }
                EventBatch batch = new EventBatch(256);
                int records = ring.drain(batch);
                System.out.println("attached " + link.programName() + " (tracepoint syscalls/sys_enter_getppid): "
                        + records + " of " + CALLS + " records");
                System.exit(records == CALLS ? 0 : 2);
            }
        } catch (BpfException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(1);
        }
    }
}
