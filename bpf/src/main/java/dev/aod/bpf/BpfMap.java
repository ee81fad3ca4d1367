package dev.aod.bpf;

import java.util.List;
import jnr.ffi.Pointer;

/** A map of a loaded {@link BpfObject}, for the few access patterns AOD needs. */
public final class BpfMap {
    private final Native n;
    private final String name;
    private final Pointer map;

    BpfMap(Native n, String name, Pointer map) {
        this.n = n;
        this.name = name;
        this.map = map;
    }

    public String name() {
        return name;
    }

    public int fd() {
        int fd = n.bpf.bpf_map__fd(map);
        if (fd < 0) {
            throw new BpfException("map " + name + " is not created yet (load the object first)", fd, List.of());
        }
        return fd;
    }

    public int maxEntries() {
        return n.bpf.bpf_map__max_entries(map);
    }

    public int keySize() {
        return n.bpf.bpf_map__key_size(map);
    }

    public int valueSize() {
        return n.bpf.bpf_map__value_size(map);
    }

    /** Before the owning object is loaded: use the already created map {@code other} instead of creating one. */
    void reuse(BpfMap other) {
        int rc = n.bpf.bpf_map__reuse_fd(map, other.fd());
        if (rc < 0) {
            throw new BpfException("map " + name + " cannot reuse map " + other.name() + ": " + n.strerror(rc), rc,
                    List.of());
        }
    }

    /** Before the owning object is loaded: the initial content of a global data map ({@code .rodata}). */
    void setInitialValue(byte[] data) {
        Pointer p = n.runtime.getMemoryManager().allocateDirect(data.length);
        p.put(0, data, 0, data.length);
        int rc = n.bpf.bpf_map__set_initial_value(map, p, data.length);
        if (rc < 0) {
            throw new BpfException("initial value of map " + name + " (" + data.length + " bytes): " + n.strerror(rc),
                    rc, List.of());
        }
    }

    /** One key and its value, copied out of a hash map. */
    public record Entry(byte[] key, byte[] value) {}

    /**
     * A snapshot of a hash map's entries (each key once), for occasional scans such as the search for hung
     * requests; entries deleted while it is taken are left out.
     */
    public List<Entry> entries() {
        int keySize = keySize();
        int valueSize = valueSize();
        int fd = fd();
        Pointer key = n.runtime.getMemoryManager().allocateDirect(keySize);
        Pointer next = n.runtime.getMemoryManager().allocateDirect(keySize);
        Pointer value = n.runtime.getMemoryManager().allocateDirect(valueSize);
        java.util.Map<java.nio.ByteBuffer, Entry> found = new java.util.LinkedHashMap<>();
        Pointer current = null;
        // A key deleted under the walk makes the kernel restart it: bound the walk.
        for (int steps = 0; steps < 2 * maxEntries() && n.bpf.bpf_map_get_next_key(fd, current, next) == 0; steps++) {
            byte[] k = new byte[keySize];
            next.get(0, k, 0, keySize);
            if (n.bpf.bpf_map_lookup_elem(fd, next, value) == 0) {
                byte[] v = new byte[valueSize];
                value.get(0, v, 0, valueSize);
                found.putIfAbsent(java.nio.ByteBuffer.wrap(k), new Entry(k, v));
            }
            key.transferFrom(0, next, 0, keySize);
            current = key;
        }
        return List.copyOf(found.values());
    }

    /** Removes a key from a hash map; false if it was not there. */
    public boolean delete(byte[] key) {
        Pointer k = n.runtime.getMemoryManager().allocateDirect(key.length);
        k.put(0, key, 0, key.length);
        return n.bpf.bpf_map_delete_elem(fd(), k) == 0;
    }

    /** Writes a {@code u64} value at a {@code u32} key (array maps). */
    public void putLong(int key, long value) {
        Pointer k = n.runtime.getMemoryManager().allocateDirect(4);
        Pointer v = n.runtime.getMemoryManager().allocateDirect(8);
        k.putInt(0, key);
        v.putLong(0, value);
        check(n.bpf.bpf_map_update_elem(fd(), k, v, 0), "update", key);
    }

    /** Writes a {@code u32} value at a {@code u32} key (array maps). */
    public void putInt(int key, int value) {
        Pointer k = n.runtime.getMemoryManager().allocateDirect(4);
        Pointer v = n.runtime.getMemoryManager().allocateDirect(4);
        k.putInt(0, key);
        v.putInt(0, value);
        check(n.bpf.bpf_map_update_elem(fd(), k, v, 0), "update", key);
    }

    public int getInt(int key) {
        Pointer k = n.runtime.getMemoryManager().allocateDirect(4);
        Pointer v = n.runtime.getMemoryManager().allocateDirect(4);
        k.putInt(0, key);
        check(n.bpf.bpf_map_lookup_elem(fd(), k, v), "lookup", key);
        return v.getInt(0);
    }

    public long getLong(int key) {
        Pointer k = n.runtime.getMemoryManager().allocateDirect(4);
        Pointer v = n.runtime.getMemoryManager().allocateDirect(8);
        k.putInt(0, key);
        check(n.bpf.bpf_map_lookup_elem(fd(), k, v), "lookup", key);
        return v.getLong(0);
    }

    /** The sum over all CPUs of a {@code u64} per-CPU array slot. */
    public long sumPerCpuLong(int key) {
        int cpus = n.bpf.libbpf_num_possible_cpus();
        if (cpus < 0) {
            throw new BpfException("counting possible CPUs: " + n.strerror(cpus), cpus, List.of());
        }
        Pointer k = n.runtime.getMemoryManager().allocateDirect(4);
        Pointer v = n.runtime.getMemoryManager().allocateDirect(8L * cpus);
        k.putInt(0, key);
        check(n.bpf.bpf_map_lookup_elem(fd(), k, v), "lookup", key);
        long sum = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            sum += v.getLong(8L * cpu);
        }
        return sum;
    }

    /** Walks the keys of a hash map; for tests and occasional scans, not for hot paths. */
    public long countEntries() {
        int keySize = n.bpf.bpf_map__key_size(map);
        Pointer key = n.runtime.getMemoryManager().allocateDirect(keySize);
        Pointer next = n.runtime.getMemoryManager().allocateDirect(keySize);
        long count = 0;
        Pointer current = null;
        while (n.bpf.bpf_map_get_next_key(fd(), current, next) == 0) {
            count++;
            key.transferFrom(0, next, 0, keySize);
            current = key;
        }
        return count;
    }

    private void check(int rc, String op, int key) {
        if (rc < 0) {
            throw new BpfException(op + " of map " + name + " at key " + key + ": " + n.strerror(rc), rc, List.of());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
