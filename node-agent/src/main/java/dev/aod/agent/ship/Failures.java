package dev.aod.agent.ship;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** Tells network trouble from other failures in the exception chains the SDKs throw. */
final class Failures {
    private Failures() {}

    static boolean isConnectivity(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof SocketException
                    || t instanceof TimeoutException || t instanceof ClosedChannelException
                    || t instanceof InterruptedIOException
                    || t.getClass().getName().startsWith("io.netty.channel.")
                    || t.getClass().getName().startsWith("reactor.netty.")
                    || t.getClass().getName().equals("org.apache.http.NoHttpResponseException")
                    || t.getClass().getName().equals("org.apache.http.conn.ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, which names the real trouble (e.g. "Connection refused"), scrubbed. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = m.indexOf('\n');
        return Redaction.scrub(nl < 0 ? m : m.substring(0, nl));
    }
}
