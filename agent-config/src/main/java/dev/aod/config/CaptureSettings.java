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
         * The NFS server's events of the sunrpc system (svc*, the server's caches) are left out: they
         * tell nothing about the client, and on a node that also serves NFS they cost each request.
         */
        public static final Ftrace DEFAULTS = new Ftrace(true, 2048, List.of("cifs", "nfs", "nfs4", "sunrpc"),
                List.of("sunrpc/svc*", "sunrpc/cache_entry_*"));

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
