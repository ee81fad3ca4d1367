package dev.aod.agent.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback that can be shut: while shut, connections are refused and the open
 * ones are cut, as when an API server goes away; opened again on the same port.
 */
final class TcpGate implements AutoCloseable {
    private final String host;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    private TcpGate(String host, int targetPort, int port) {
        this.host = host;
        this.targetPort = targetPort;
        this.port = port;
    }

    static TcpGate open(String host, int targetPort) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName(host))) {
            port = probe.getLocalPort();
        }
        TcpGate gate = new TcpGate(host, targetPort, port);
        gate.reopen();
        return gate;
    }

    int port() {
        return port;
    }

    synchronized void reopen() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        listener = s;
        Thread t = new Thread(() -> accept(s), "tcp-gate-" + port);
        t.setDaemon(true);
        t.start();
    }

    synchronized void shut() {
        ServerSocket s = listener;
        listener = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }
        sockets.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket in = s.accept();
                Socket out = new Socket(host, targetPort);
                sockets.add(in);
                sockets.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side or the gate closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // closing
                }
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-gate-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        shut();
    }
}
