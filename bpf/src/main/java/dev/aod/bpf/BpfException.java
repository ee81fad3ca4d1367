package dev.aod.bpf;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern PROGRAM_FAILED = Pattern.compile(
            "prog '([^']+)': (?:failed|BPF program load failed|-- BEGIN PROG LOAD LOG)");

    /** The program whose load failed, when libbpf named it (a missing function, a verifier rejection). */
    public Optional<String> failedProgram() {
        for (String line : libbpfLog) {
            Matcher m = PROGRAM_FAILED.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** The lines libbpf logged about one program (its verifier log among them). */
    public List<String> libbpfLogOf(String program) {
        String tag = "prog '" + program + "'";
        List<String> lines = new java.util.ArrayList<>();
        boolean inVerifierLog = false;
        for (String line : libbpfLog) {
            if (line.contains(tag)) {
                lines.add(line);
                inVerifierLog = line.contains("BEGIN PROG LOAD LOG");
            } else if (inVerifierLog) {
                lines.add(line);
                inVerifierLog = !line.contains("END PROG LOAD LOG");
            }
        }
        return lines;
    }

    /** The last {@code n} lines libbpf logged, where a verifier rejection explains itself. */
    public List<String> libbpfLogTail(int n) {
        return libbpfLog.subList(Math.max(0, libbpfLog.size() - n), libbpfLog.size());
    }
}
