package dev.aod.agent.capture;

import dev.aod.config.CaptureSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Opt-in: tcpdump writing a ring of capture files for the shares' ports all the time, so a bundle can
 * carry the packets from before its trigger.
 */
public final class PacketCapture implements AutoCloseable {
    static final String FILE_PREFIX = "aod.pcap";

    private final Path dir;
    private final CaptureSettings.PacketCapture settings;
    private Process tcpdump;

    public PacketCapture(Path dir, CaptureSettings.PacketCapture settings) {
        this.dir = dir;
        this.settings = settings;
    }

    List<String> command() {
        long megabytes = Math.max(1, (settings.rotateBytes() + 999_999) / 1_000_000);
        String filter = settings.ports().stream().map(p -> "port " + p).collect(Collectors.joining(" or "));
        return List.of("tcpdump", "-i", "any", "-n", "-U", "-Z", "root", "-s", Integer.toString(settings.snapLength()),
                "-C", Long.toString(megabytes), "-W", Integer.toString(settings.rotateFiles()),
                "-w", dir.resolve(FILE_PREFIX).toString(), filter);
    }

    public synchronized void start() throws IOException {
        Files.createDirectories(dir);
        tcpdump = new ProcessBuilder(command())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("tcpdump.log").toFile())
                .start();
    }

    public synchronized boolean isRunning() {
        return tcpdump != null && tcpdump.isAlive();
    }

    /** Copies the ring's files into {@code target}; the file being written is copied as far as it is now. */
    public List<Path> copyTo(Path target) throws IOException {
        Files.createDirectories(target);
        List<Path> copied = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(FILE_PREFIX)).sorted().toList()) {
                Path to = target.resolve(f.getFileName().toString() + (f.getFileName().toString().endsWith(".pcap") ? "" : ".pcap"));
                long size = Files.size(f);
                try (var in = Files.newInputStream(f); var out = Files.newOutputStream(to)) {
                    out.write(in.readNBytes((int) Math.min(size, Integer.MAX_VALUE)));
                }
                copied.add(to);
            }
        }
        return copied;
    }

    @Override
    public synchronized void close() {
        if (tcpdump != null) {
            tcpdump.destroy();
            tcpdump = null;
        }
    }
}
