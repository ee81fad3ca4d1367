package dev.aod.config;

import java.time.Duration;
import java.util.List;

/**
 * How evidence is taken.
 *
 * @param maxConcurrentBundles bundles made at the same time; more anomalies wait in a short queue
 * @param actionTimeout the default time limit of one action
 * @param kernelLogWindow how far back the kernel log and journal actions reach before the trigger
 * @param flightRecorder how many seconds of probe events before the trigger the bundle carries
 * @param minFreeBytes capture pauses (detection goes on) while the output file system has less free
 */
public record CaptureSettings(
        int maxConcurrentBundles,
        Duration actionTimeout,
        Duration kernelLogWindow,
        Duration flightRecorder,
        long minFreeBytes,
        Ftrace ftrace,
        PacketCapture packetCapture,
        Verbose verbose) {

    public static final CaptureSettings DEFAULTS = new CaptureSettings(4, Duration.ofSeconds(10),
            Duration.ofMinutes(10), Duration.ofSeconds(60), 64L << 20, Ftrace.DEFAULTS, PacketCapture.DEFAULTS,
            Verbose.DEFAULTS);

    /**
     * The cifs/nfs/sunrpc trace systems recorded continuously into a bounded per-CPU buffer of a
     * tracefs instance of AOD's own, snapshotted into the bundle on trigger.
     */
    public record Ftrace(boolean enabled, int bufferSizeKb, List<String> systems, List<String> exclude) {
        /**
         * Left out of the sunrpc system: the NFS server's events (svc*, the server's caches), which tell
         * nothing about the client and on a node that also serves NFS cost each request, and the RPC
         * state machine's steps (some 18 events per RPC, 14 of them rpc_task_run_action). What stays
         * per RPC is its start and end (rpc_task_begin, rpc_task_end), each transmission (xprt_transmit)
         * and its latency by procedure (rpc_stats_latency), besides every error, timeout, retransmit and
         * connection event: the same buffer holds about three times as many RPCs before a trigger
         * (bench/agent-footprint.sh), and recording costs less.
         */
        public static final Ftrace DEFAULTS = new Ftrace(true, 2048, List.of("cifs", "nfs", "nfs4", "sunrpc"),
                List.of("sunrpc/svc*", "sunrpc/cache_entry_*", "sunrpc/rpc_task_run_action", "sunrpc/rpc_task_sleep",
                        "sunrpc/rpc_task_wakeup", "sunrpc/rpc_task_sync_*", "sunrpc/rpc_task_call_done",
                        "sunrpc/rpc_buf_alloc", "sunrpc/rpc_xdr_sendto", "sunrpc/rpc_xdr_recvfrom", "sunrpc/rpc_xdr_reply_pages",
                        "sunrpc/rpc_request",
                        "sunrpc/xprt_reserve", "sunrpc/xprt_*_xprt", "sunrpc/xprt_*_cong", "sunrpc/xprt_lookup_rqst",
                        "sunrpc/xs_stream_read_*", "sunrpc/xs_data_ready"));

        public Ftrace {
            systems = List.copyOf(systems);
            exclude = List.copyOf(exclude);
        }
    }

    /** Opt-in rotating packet capture on the shares' ports. */
    public record PacketCapture(boolean enabled, List<Integer> ports, long rotateBytes, int rotateFiles, int snapLength) {
        public static final PacketCapture DEFAULTS = new PacketCapture(false, List.of(445, 2049), 16L << 20, 4, 512);

        public PacketCapture {
            ports = List.copyOf(ports);
        }
    }

    /**
     * Opt-in verbose kernel logging (cifsFYI, rpcdebug) switched on at a trigger for {@code duration}
     * and always switched back off, also after the agent died (checked at start).
     */
    public record Verbose(boolean cifsFyi, boolean rpcDebug, Duration duration) {
        public static final Verbose DEFAULTS = new Verbose(false, false, Duration.ofSeconds(30));
    }
}
