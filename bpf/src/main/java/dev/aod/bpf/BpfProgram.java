package dev.aod.bpf;

import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/** One program of a {@link BpfObject}. */
public final class BpfProgram {
    private static final int TEST_RUN_OPTS_SIZE = 80;

    private final BpfObject owner;
    private final Pointer prog;
    private final String name;
    private final String sectionName;

    BpfProgram(BpfObject owner, Pointer prog) {
        this.owner = owner;
        this.prog = prog;
        Native n = owner.nativeLib();
        this.name = n.bpf.bpf_program__name(prog);
        this.sectionName = n.bpf.bpf_program__section_name(prog);
    }

    public String name() {
        return name;
    }

    /** The ELF section, which says how libbpf attaches it: {@code tracepoint/cifs/smb3_cmd_done}, {@code raw_tp}, … */
    public String sectionName() {
        return sectionName;
    }

    /** How libbpf attaches it, from the section: {@code tracepoint}, {@code tp_btf}, {@code fentry}, {@code fexit}, … */
    public String attachType() {
        int slash = sectionName.indexOf('/');
        return slash < 0 ? sectionName : sectionName.substring(0, slash);
    }

    /** What it attaches to, from the section: {@code cifs/smb3_cmd_done}, {@code cifs_strict_readv}, … */
    public String attachTarget() {
        int slash = sectionName.indexOf('/');
        return slash < 0 ? "" : sectionName.substring(slash + 1);
    }

    /** Must be called before {@link BpfObject#load()}; a program not loaded cannot fail verification. */
    public void setAutoload(boolean autoload) {
        owner.checkOpen();
        int rc = owner.nativeLib().bpf.bpf_program__set_autoload(prog, autoload);
        if (rc < 0) {
            throw new BpfException("autoload of " + name + " cannot change after load", rc, List.of());
        }
    }

    public BpfLink attach() {
        owner.checkOpen();
        Native n = owner.nativeLib();
        List<String> libbpfLog = new ArrayList<>();
        Pointer link = LibbpfLog.collect(libbpfLog, () -> n.bpf.bpf_program__attach(prog));
        if (link == null) {
            int errno = n.errno();
            throw new BpfException("attaching " + name + " (" + sectionName + "): " + n.strerror(errno),
                    errno, libbpfLog);
        }
        BpfLink l = new BpfLink(owner, link, name);
        owner.track(l);
        return l;
    }

    /**
     * Runs the loaded program once through BPF_PROG_TEST_RUN with {@code args} as its context
     * (a raw tracepoint's arguments), in the calling thread, and returns its return value.
     */
    public int testRun(long... args) {
        owner.checkOpen();
        Native n = owner.nativeLib();
        int fd = n.bpf.bpf_program__fd(prog);
        if (fd < 0) {
            throw new BpfException("program " + name + " is not loaded", fd, List.of());
        }
        Pointer ctx = n.runtime.getMemoryManager().allocateDirect(Math.max(8, args.length * 8L));
        for (int i = 0; i < args.length; i++) {
            ctx.putLong(i * 8L, args[i]);
        }
        // struct bpf_test_run_opts (libbpf 1.1): sz@0, ctx_in@32, ctx_size_in@48, retval@56.
        Pointer opts = n.runtime.getMemoryManager().allocateDirect(TEST_RUN_OPTS_SIZE, true);
        opts.putLong(0, TEST_RUN_OPTS_SIZE);
        opts.putPointer(32, ctx);
        opts.putInt(48, args.length * 8);
        int rc = n.bpf.bpf_prog_test_run_opts(fd, opts);
        if (rc < 0) {
            throw new BpfException("test run of " + name + ": " + n.strerror(rc), rc, List.of());
        }
        return opts.getInt(56);
    }

    @Override
    public String toString() {
        return name + " (" + sectionName + ")";
    }
}
