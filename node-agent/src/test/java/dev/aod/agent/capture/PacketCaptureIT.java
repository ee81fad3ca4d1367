package dev.aod.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.aod.config.CaptureSettings;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rotating packet capture with the real tcpdump on loopback. */
class PacketCaptureIT {
    @TempDir
    Path dir;

    @Test
    void capturesTheSharesPortsIntoARingAndCopiesIt() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "tcpdump needs root (CAP_NET_RAW)");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            PacketCapture capture = new PacketCapture(dir.resolve("ring"),
                    new CaptureSettings.PacketCapture(true, List.of(port), 1L << 20, 2, 256));
            try {
                capture.start();
                awaitListening(dir.resolve("ring/tcpdump.log"));
                for (int attempt = 0; attempt < 20 && Files.size(dir.resolve("ring/aod.pcap0")) <= 24; attempt++) {
                    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                            Socket accepted = server.accept();
                            OutputStream out = client.getOutputStream()) {
                        out.write("SMB over loopback".getBytes());
                        out.flush();
                        accepted.getInputStream().readNBytes(17);
                    }
                    Thread.sleep(250);
                }
                assertThat(capture.isRunning()).isTrue();

                List<Path> files = capture.copyTo(dir.resolve("bundle/pcap"));

                assertThat(files).isNotEmpty();
                byte[] pcap = Files.readAllBytes(files.get(0));
                assertThat(pcap.length).isGreaterThan(24 + 3 * 16);
                int magic = ByteBuffer.wrap(pcap, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                assertThat(magic).isIn(0xa1b2c3d4, 0xa1b23c4d);
            } finally {
                capture.close();
            }
        }
    }

    private static void awaitListening(Path log) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Files.exists(log) && Files.readString(log).contains("listening on")
                    && Files.exists(log.resolveSibling("aod.pcap0"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("tcpdump did not start: " + (Files.exists(log) ? Files.readString(log) : "no log"));
    }
}
