package dev.aod.bpf;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** Loads libbpf and libc once; the first use fails with a clear message where libbpf is missing. */
final class Native {
    private static volatile Native instance;

    final LibBpf bpf;
    final LibC libc;
    final Runtime runtime;

    private Native(LibBpf bpf, LibC libc) {
        this.bpf = bpf;
        this.libc = libc;
        this.runtime = Runtime.getRuntime(bpf);
    }

    static Native get() {
        Native n = instance;
        if (n == null) {
            synchronized (Native.class) {
                n = instance;
                if (n == null) {
                    n = instance = load();
                }
            }
        }
        return n;
    }

    private static Native load() {
        LibBpf bpf;
        try {
            bpf = LibraryLoader.create(LibBpf.class).failImmediately().load("libbpf.so.1");
        } catch (UnsatisfiedLinkError e) {
            throw new BpfException("libbpf 1.x (libbpf.so.1) is not installed: " + e.getMessage(), e);
        }
        LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
        Native n = new Native(bpf, libc);
        LibbpfLog.install(n);
        return n;
    }

    int errno() {
        return runtime.getLastError();
    }

    String strerror(int err) {
        Pointer buf = runtime.getMemoryManager().allocateDirect(256);
        bpf.libbpf_strerror(Math.abs(err), buf, 256);
        return buf.getString(0);
    }

    long pageSize() {
        return libc.sysconf(LibC.SC_PAGESIZE);
    }
}
