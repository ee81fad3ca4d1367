package dev.aod.bpf;

import java.util.List;
import java.util.function.Supplier;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes libbpf's messages to SLF4J. While an open, load or attach runs under {@link #collect},
 * its warnings (the verifier log among them) go to the caller instead, which puts them into its
 * exception or logs them.
 */
final class LibbpfLog {
    private static final Logger log = LoggerFactory.getLogger("libbpf");
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;
    private static final int MAX_COLLECTED_LINES = 400;
    private static final ThreadLocal<List<String>> collector = new ThreadLocal<>();

    // Held so the native callback is never collected by the GC.
    private static LibBpf.PrintFn printFn;

    private LibbpfLog() {}

    static synchronized void install(Native n) {
        if (printFn != null) {
            return;
        }
        printFn = (level, format, vaList) -> {
            List<String> sink = collector.get();
            if (sink != null && level <= LIBBPF_INFO) {
                for (String line : format(n, format, vaList).split("\n")) {
                    if (sink.size() == MAX_COLLECTED_LINES) {
                        sink.remove(0);
                    }
                    sink.add(line);
                }
            } else if (level == LIBBPF_WARN && log.isWarnEnabled()) {
                log.warn(format(n, format, vaList));
            } else if (level == LIBBPF_INFO && log.isInfoEnabled()) {
                log.info(format(n, format, vaList));
            } else if (level > LIBBPF_INFO && log.isDebugEnabled()) {
                log.debug(format(n, format, vaList));
            }
            return 0;
        };
        n.bpf.libbpf_set_print(printFn);
    }

    private static String format(Native n, Pointer format, Pointer vaList) {
        int size = 4096;
        Pointer buf = n.runtime.getMemoryManager().allocateDirect(size);
        n.libc.vsnprintf(buf, size, format, vaList);
        return buf.getString(0).strip();
    }

    /** Runs {@code action}; libbpf's warnings on this thread meanwhile are appended to {@code sink}. */
    static <T> T collect(List<String> sink, Supplier<T> action) {
        List<String> previous = collector.get();
        collector.set(sink);
        try {
            return action.get();
        } finally {
            if (previous == null) {
                collector.remove();
            } else {
                collector.set(previous);
            }
        }
    }

}
