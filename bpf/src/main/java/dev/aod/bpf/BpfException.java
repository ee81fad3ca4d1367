package dev.aod.bpf;

import java.util.List;

/** A libbpf or kernel refusal, with the lines libbpf logged while it happened (the verifier's among them). */
public class BpfException extends RuntimeException {
    private final int errno;
    private final List<String> libbpfLog;

    public BpfException(String message) {
        this(message, 0, List.of());
    }

    public BpfException(String message, int errno, List<String> libbpfLog) {
        super(message);
        this.errno = Math.abs(errno);
        this.libbpfLog = List.copyOf(libbpfLog);
    }

    public BpfException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
        this.libbpfLog = List.of();
    }

    /** The positive errno of the failed call, 0 when not known. */
    public int errno() {
        return errno;
    }

    public List<String> libbpfLog() {
        return libbpfLog;
    }

    /** The last {@code n} lines libbpf logged, where a verifier rejection explains itself. */
    public List<String> libbpfLogTail(int n) {
        return libbpfLog.subList(Math.max(0, libbpfLog.size() - n), libbpfLog.size());
    }
}
