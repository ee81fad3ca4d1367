package dev.aod.agent.capture;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** The packets of the rotating capture ring at the trigger, as pcap files beside a listing. */
public record PacketCaptureAction(Supplier<PacketCapture> capture, Duration timeout) implements CaptureAction {

    @Override
    public String name() {
        return "pcap";
    }

    @Override
    public String fileName() {
        return "pcap/files.txt";
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws Exception {
        PacketCapture pc = capture.get();
        if (pc == null) {
            throw new SkippedException("packet capture is off (capture.packetCapture.enabled)");
        }
        if (!pc.isRunning()) {
            throw new IOException("tcpdump is not running; see the agent log");
        }
        List<Path> files = pc.copyTo(out.getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Path f : files) {
                w.write(f.getFileName() + " " + Files.size(f) + " bytes\n");
            }
        }
        return 0;
    }
}
