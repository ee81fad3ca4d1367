package dev.aod.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

public interface LibC {
    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int MAP_SHARED = 0x1;
    int SC_PAGESIZE = 30;

    @SaveError
    Pointer mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, @size_t long length);

    long sysconf(int name);

    int vsnprintf(Pointer buf, @size_t long size, Pointer format, Pointer vaList);

    int getppid();

    /** glibc: gives the free memory at the top of each malloc arena back to the kernel. */
    int malloc_trim(@size_t long pad);

    @SaveError
    int mount(String source, String target, String fileSystemType, long flags, Pointer data);
}
