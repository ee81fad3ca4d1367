package dev.aod.bpf;

import com.kenai.jffi.MemoryIO;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * Reads a BPF ring buffer map directly from its memory-mapped pages, the way libbpf's
 * consumer does, but without a callback per record: {@link #drain} copies whole records into an
 * {@link EventBatch}. Single consumer; not thread-safe against concurrent drains.
 */
public final class RingBufferReader implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int BUSY_BIT = 1 << 31;
    private static final int DISCARD_BIT = 1 << 30;
    private static final int HEADER_SIZE = 8;

    private final Native n;
    private final String name;
    private final Pointer consumerPage;
    private final Pointer producerPages;
    private final long pageSize;
    private final long dataSize;
    private final ByteBuffer consumer;
    private final ByteBuffer producer;
    private final ByteBuffer data;
    private final long mask;
    private long consumerPos;
    private long malformed;
    private boolean closed;

    private RingBufferReader(Native n, String name, Pointer consumerPage, Pointer producerPages, long pageSize,
            long dataSize) {
        this.n = n;
        this.name = name;
        this.consumerPage = consumerPage;
        this.producerPages = producerPages;
        this.pageSize = pageSize;
        this.dataSize = dataSize;
        MemoryIO io = MemoryIO.getInstance();
        this.consumer = io.newDirectByteBuffer(consumerPage.address(), (int) pageSize).order(ByteOrder.nativeOrder());
        this.producer = io.newDirectByteBuffer(producerPages.address(), (int) pageSize).order(ByteOrder.nativeOrder());
        // The kernel maps the data area twice in a row, so a record that wraps reads contiguously.
        this.data = io.newDirectByteBuffer(producerPages.address() + pageSize, (int) (2 * dataSize))
                .order(ByteOrder.nativeOrder());
        this.mask = dataSize - 1;
        this.consumerPos = (long) LONG.getAcquire(consumer, 0);
    }

    public static RingBufferReader open(BpfMap ringBuffer) {
        Native n = Native.get();
        int fd = ringBuffer.fd();
        long dataSize = Integer.toUnsignedLong(ringBuffer.maxEntries());
        if (Long.bitCount(dataSize) != 1 || dataSize > (1L << 29)) {
            throw new BpfException("ring buffer " + ringBuffer.name() + " has unusable size " + dataSize);
        }
        long page = n.pageSize();
        Pointer consumerPage = n.libc.mmap(null, page, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (isMapFailed(consumerPage)) {
            int errno = n.errno();
            throw new BpfException("mmap of ring buffer " + ringBuffer.name() + " consumer page: "
                    + n.strerror(errno), errno, List.of());
        }
        Pointer producerPages = n.libc.mmap(null, page + 2 * dataSize, LibC.PROT_READ, LibC.MAP_SHARED, fd, page);
        if (isMapFailed(producerPages)) {
            int errno = n.errno();
            n.libc.munmap(consumerPage, page);
            throw new BpfException("mmap of ring buffer " + ringBuffer.name() + " data: " + n.strerror(errno),
                    errno, List.of());
        }
        return new RingBufferReader(n, ringBuffer.name(), consumerPage, producerPages, page, dataSize);
    }

    private static boolean isMapFailed(Pointer p) {
        return p == null || p.address() == -1L;
    }

    /**
     * Moves as many complete records as fit from the ring into {@code batch} (appending) and
     * releases their space to the kernel. Returns the number of records added.
     */
    public int drain(EventBatch batch) {
        if (closed) {
            throw new IllegalStateException("ring buffer " + name + " is closed");
        }
        long cons = consumerPos;
        long prod = (long) LONG.getAcquire(producer, 0);
        int added = 0;
        while (cons < prod && !batch.isFull()) {
            int offset = (int) (cons & mask);
            int header = (int) INT.getAcquire(data, offset);
            if ((header & BUSY_BIT) != 0) {
                break;
            }
            int length = header & ~(BUSY_BIT | DISCARD_BIT);
            if ((header & DISCARD_BIT) == 0) {
                if (length == EventLayout.SIZE) {
                    batch.append(data, offset + HEADER_SIZE);
                    added++;
                } else {
                    malformed++;
                }
            }
            cons += (length + HEADER_SIZE + 7) & ~7L;
        }
        if (cons != consumerPos) {
            LONG.setRelease(consumer, 0, cons);
            consumerPos = cons;
        }
        return added;
    }

    /** Bytes written by the kernel and not yet drained. */
    public long pendingBytes() {
        return (long) LONG.getAcquire(producer, 0) - consumerPos;
    }

    public long capacityBytes() {
        return dataSize;
    }

    /** Records of an unexpected size, skipped: a user space and kernel object mismatch. */
    public long malformedRecords() {
        return malformed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        n.libc.munmap(producerPages, pageSize + 2 * dataSize);
        n.libc.munmap(consumerPage, pageSize);
    }
}
