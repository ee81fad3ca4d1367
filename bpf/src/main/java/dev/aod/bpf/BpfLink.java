package dev.aod.bpf;

import jnr.ffi.Pointer;

/** An attachment of a program; closing it detaches the program. */
public final class BpfLink implements AutoCloseable {
    private final BpfObject owner;
    private final Pointer link;
    private final String programName;
    private boolean closed;

    BpfLink(BpfObject owner, Pointer link, String programName) {
        this.owner = owner;
        this.link = link;
        this.programName = programName;
    }

    public String programName() {
        return programName;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.nativeLib().bpf.bpf_link__destroy(link);
        owner.untrack(this);
    }
}
