package dev.aod.bpf;

/** One probe event as a value: for tests, synthetic sources and reports, never on the drain path. */
public record Event(
        long tsNs,
        long latencyNs,
        long sessionId,
        long requestId,
        long connId,
        long cgroupId,
        int tgid,
        int pid,
        int status,
        int error,
        int treeId,
        int dev,
        int aux,
        int flags,
        int command,
        int source,
        int kind,
        String comm) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long tsNs;
        private long latencyNs;
        private long sessionId;
        private long requestId;
        private long connId;
        private long cgroupId;
        private int tgid;
        private int pid;
        private int status;
        private int error;
        private int treeId;
        private int dev;
        private int aux;
        private int flags;
        private int command;
        private int source = EventLayout.SOURCE_SMB_WIRE;
        private int kind = EventLayout.KIND_SLOW;
        private String comm = "";

        public Builder tsNs(long v) { tsNs = v; return this; }
        public Builder latencyNs(long v) { latencyNs = v; return this; }
        public Builder sessionId(long v) { sessionId = v; return this; }
        public Builder requestId(long v) { requestId = v; return this; }
        public Builder connId(long v) { connId = v; return this; }
        public Builder cgroupId(long v) { cgroupId = v; return this; }
        public Builder tgid(int v) { tgid = v; return this; }
        public Builder pid(int v) { pid = v; return this; }
        public Builder status(int v) { status = v; return this; }
        public Builder error(int v) { error = v; return this; }
        public Builder treeId(int v) { treeId = v; return this; }
        public Builder dev(int v) { dev = v; return this; }
        public Builder aux(int v) { aux = v; return this; }
        public Builder flags(int v) { flags = v; return this; }
        public Builder command(int v) { command = v; return this; }
        public Builder source(int v) { source = v; return this; }
        public Builder kind(int v) { kind = v; return this; }
        public Builder comm(String v) { comm = v; return this; }

        public Event build() {
            return new Event(tsNs, latencyNs, sessionId, requestId, connId, cgroupId, tgid, pid, status, error,
                    treeId, dev, aux, flags, command, source, kind, comm);
        }
    }
}
