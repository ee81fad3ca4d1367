package dev.aod.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A BPF ELF object opened from memory, its programs and maps; closing it detaches and frees everything. */
public final class BpfObject implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BpfObject.class);

    private final Native n;
    private final String name;
    private final Pointer elf; // libbpf points into it until close
    private final Pointer obj;
    private final Map<String, BpfProgram> programs;
    private final List<BpfLink> links = Collections.synchronizedList(new ArrayList<>());
    private boolean loaded;
    private boolean closed;

    private BpfObject(Native n, String name, Pointer elf, Pointer obj) {
        this.n = n;
        this.name = name;
        this.elf = elf;
        this.obj = obj;
        Map<String, BpfProgram> found = new LinkedHashMap<>();
        for (Pointer p = n.bpf.bpf_object__next_program(obj, null); p != null;
                p = n.bpf.bpf_object__next_program(obj, p)) {
            BpfProgram program = new BpfProgram(this, p);
            found.put(program.name(), program);
        }
        this.programs = Collections.unmodifiableMap(found);
    }

    /** Opens the object embedded as a class-path resource next to {@code anchor}. */
    public static BpfObject openResource(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BpfException("BPF object " + resource + " is not on the class path of "
                        + anchor.getName() + "; was the bpf module built with clang?");
            }
            String objectName = resource.substring(resource.lastIndexOf('/') + 1).replace(".bpf.o", "");
            return open(objectName, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading BPF object " + resource, e);
        }
    }

    public static BpfObject open(String name, byte[] elfBytes) {
        Native n = Native.get();
        // libbpf keeps pointing into the ELF buffer until the object is closed.
        Pointer elf = n.runtime.getMemoryManager().allocateDirect(elfBytes.length);
        elf.put(0, elfBytes, 0, elfBytes.length);
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        Pointer namePtr = n.runtime.getMemoryManager().allocateDirect(nameBytes.length);
        namePtr.put(0, nameBytes, 0, nameBytes.length);
        // struct bpf_object_open_opts, first two fields only: size_t sz; const char *object_name;
        Pointer opts = n.runtime.getMemoryManager().allocateDirect(16);
        opts.putLong(0, 16);
        opts.putPointer(8, namePtr);

        List<String> libbpfLog = new ArrayList<>();
        Pointer obj = LibbpfLog.collect(libbpfLog, () -> n.bpf.bpf_object__open_mem(elf, elfBytes.length, opts));
        if (obj == null) {
            int errno = n.errno();
            throw new BpfException("opening BPF object " + name + ": " + n.strerror(errno), errno, libbpfLog);
        }
        return new BpfObject(n, name, elf, obj);
    }

    public String name() {
        return name;
    }

    public Map<String, BpfProgram> programs() {
        return programs;
    }

    public BpfProgram program(String programName) {
        BpfProgram p = programs.get(programName);
        if (p == null) {
            throw new BpfException("BPF object " + name + " has no program " + programName
                    + " (it has " + programs.keySet() + ")");
        }
        return p;
    }

    public BpfMap map(String mapName) {
        Pointer m = n.bpf.bpf_object__find_map_by_name(obj, mapName);
        if (m == null) {
            throw new BpfException("BPF object " + name + " has no map " + mapName);
        }
        return new BpfMap(n, mapName, m);
    }

    /** The maps of this object, by name; internal ones (.rodata, .bss) have a dot in their name. */
    public List<BpfMap> maps() {
        List<BpfMap> maps = new ArrayList<>();
        for (Pointer m = n.bpf.bpf_object__next_map(obj, null); m != null; m = n.bpf.bpf_object__next_map(obj, m)) {
            maps.add(new BpfMap(n, n.bpf.bpf_map__name(m), m));
        }
        return maps;
    }

    /**
     * Before {@link #load()}: every map of this object that {@code owner} (loaded) also has by name is
     * taken from it instead of being created, so that several objects share one ring buffer and one
     * set of maps. Internal maps stay this object's own.
     */
    public synchronized void shareMapsOf(BpfObject owner) {
        checkOpen();
        if (!owner.isLoaded()) {
            throw new IllegalStateException("BPF object " + owner.name() + " must be loaded before " + name
                    + " can share its maps");
        }
        for (BpfMap map : maps()) {
            if (map.name().contains(".")) {
                continue;
            }
            Pointer shared = n.bpf.bpf_object__find_map_by_name(owner.obj, map.name());
            if (shared != null) {
                map.reuse(new BpfMap(n, map.name(), shared));
            }
        }
    }

    /** Before {@link #load()}: the initial content of the object's read-only globals (its .rodata map). */
    public synchronized void setRodata(byte[] data) {
        checkOpen();
        BpfMap rodata = maps().stream().filter(m -> m.name().endsWith(".rodata")).findFirst()
                .orElseThrow(() -> new BpfException("BPF object " + name + " has no .rodata"));
        rodata.setInitialValue(data);
    }

    /** Creates the maps and loads every program still set to autoload. */
    public synchronized void load() {
        checkOpen();
        List<String> libbpfLog = new ArrayList<>();
        int rc = LibbpfLog.collect(libbpfLog, () -> n.bpf.bpf_object__load(obj));
        if (rc < 0) {
            throw new BpfException("loading BPF object " + name + ": " + n.strerror(rc), rc, libbpfLog);
        }
        libbpfLog.forEach(line -> log.warn("{}: {}", name, line));
        loaded = true;
    }

    public synchronized boolean isLoaded() {
        return loaded;
    }

    Native nativeLib() {
        return n;
    }

    synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
    }

    void track(BpfLink link) {
        links.add(link);
    }

    void untrack(BpfLink link) {
        links.remove(link);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<BpfLink> open;
        synchronized (links) {
            open = new ArrayList<>(links);
        }
        open.forEach(BpfLink::close);
        n.bpf.bpf_object__close(obj);
    }
}
