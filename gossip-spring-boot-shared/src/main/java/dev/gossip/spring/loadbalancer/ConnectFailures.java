package dev.gossip.spring.loadbalancer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Tells failures whose connection was never made (nothing reached the server) from the others. */
final class ConnectFailures {

    private static final int MAX_DEPTH = 16;

    private ConnectFailures() {}

    /**
     * Refused, unreachable or timed out while connecting, anywhere in the cause chain: the JDK's
     * exceptions, and by name those of Netty and Apache HttpClient ({@code ConnectTimeoutException};
     * their refusals extend {@link ConnectException}).
     */
    static boolean isConnectFailure(Throwable t) {
        for (int depth = 0; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof HttpConnectTimeoutException
                    || t.getClass().getSimpleName().equals("ConnectTimeoutException")
                    || (t instanceof SocketTimeoutException && t.getMessage() != null
                        && t.getMessage().toLowerCase(Locale.ROOT).contains("connect timed out"))) {
                return true;
            }
        }
        return false;
    }

    /** An I/O failure or a timeout anywhere in the cause chain (an HTTP error status is neither). */
    static boolean isIoFailure(Throwable t) {
        for (int depth = 0; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
