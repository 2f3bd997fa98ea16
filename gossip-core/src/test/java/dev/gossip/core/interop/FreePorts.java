package dev.gossip.core.interop;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports, free for both TCP and UDP (gossip needs both on one port). */
final class FreePorts {

    private static final Set<Integer> handedOut = new HashSet<>();

    private FreePorts() {}

    static synchronized int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                if (handedOut.contains(port)) {
                    continue;
                }
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    handedOut.add(port);
                    return port;
                }
            } catch (IOException e) {
                // taken for UDP: try another
            }
        }
        throw new IllegalStateException("No free loopback port found");
    }
}
