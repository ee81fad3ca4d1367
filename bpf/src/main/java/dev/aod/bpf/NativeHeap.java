package dev.aod.bpf;

/**
 * The C heap that libbpf (loading a probe parses the kernel's BTF, several MB) and zstd (a compression
 * context per bundle) use and free: glibc keeps what they freed in its arenas, resident, for the next
 * malloc. A daemon that does this rarely hands it back with {@link #trim()} afterwards.
 */
public final class NativeHeap {
    private NativeHeap() {}

    /** Returns freed C heap memory to the kernel; false where the C library has no malloc_trim (not glibc). */
    public static boolean trim() {
        try {
            Native.get().libc.malloc_trim(0);
            return true;
        } catch (UnsatisfiedLinkError | BpfException e) {
            return false;
        }
    }
}
