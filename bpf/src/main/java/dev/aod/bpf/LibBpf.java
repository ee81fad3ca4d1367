package dev.aod.bpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/** JNR binding, public only because JNR requires it: the part of libbpf 1.x that AOD calls. Functions return a negative errno or NULL on failure. */
public interface LibBpf {

    interface PrintFn {
        @Delegate
        int print(int level, Pointer format, Pointer vaList);
    }

    @SaveError
    Pointer bpf_object__open_mem(Pointer objBuf, @size_t long objBufSize, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    Pointer bpf_object__next_map(Pointer obj, Pointer prev);

    String bpf_program__name(Pointer prog);

    String bpf_program__section_name(Pointer prog);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);

    int bpf_program__fd(Pointer prog);

    @SaveError
    Pointer bpf_program__attach(Pointer prog);

    int bpf_link__destroy(Pointer link);

    int bpf_map__fd(Pointer map);

    String bpf_map__name(Pointer map);

    int bpf_map__reuse_fd(Pointer map, int fd);

    int bpf_map__set_initial_value(Pointer map, Pointer data, @size_t long size);

    int bpf_map__max_entries(Pointer map);

    int bpf_map__value_size(Pointer map);

    int bpf_map__key_size(Pointer map);

    int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_delete_elem(int fd, Pointer key);

    int bpf_prog_test_run_opts(int progFd, Pointer opts);

    int libbpf_num_possible_cpus();

    int libbpf_strerror(int err, Pointer buf, @size_t long size);

    Pointer libbpf_set_print(PrintFn fn);
}
