package dev.aod.agent.source;

import java.util.List;

/**
 * Whether one probe is watching, and if not, why.
 *
 * @param attachedAs how it is attached (tracepoint, tp_btf, fentry, kprobe) when ATTACHED
 * @param detail why NOT_APPLICABLE or FAILED, or what it watches when ATTACHED
 * @param libbpfLog the last lines libbpf logged for a failure (the verifier's, where it rejected the program)
 */
public record ProbeStatus(String probe, State state, String attachedAs, String detail, List<String> libbpfLog) {

    public enum State { ATTACHED, NOT_APPLICABLE, FAILED }

    public ProbeStatus {
        libbpfLog = List.copyOf(libbpfLog);
    }

    public static ProbeStatus attached(String probe, String attachedAs, String detail) {
        return new ProbeStatus(probe, State.ATTACHED, attachedAs, detail, List.of());
    }

    public static ProbeStatus notApplicable(String probe, String why) {
        return new ProbeStatus(probe, State.NOT_APPLICABLE, null, why, List.of());
    }

    public static ProbeStatus failed(String probe, String why, List<String> libbpfLog) {
        return new ProbeStatus(probe, State.FAILED, null, why, libbpfLog);
    }

    @Override
    public String toString() {
        String s = probe + ": " + state.name().toLowerCase().replace('_', ' ')
                + (attachedAs == null ? "" : " (" + attachedAs + ")") + (detail == null ? "" : " — " + detail);
        return libbpfLog.isEmpty() ? s : s + "\n    " + String.join("\n    ", libbpfLog);
    }
}
