package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free ports on 127.0.0.1, so that the benchmark runs beside other work on the machine. A gossip
 * node needs the same port for TCP and UDP, so every port handed out is free for both.
 */
final class Ports {

    private static final Set<Integer> GIVEN = new HashSet<>();

    private Ports() {
    }

    static synchronized int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                if (GIVEN.contains(port)) {
                    continue; // handed out earlier and maybe not bound yet by its child
                }
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    GIVEN.add(port);
                    return port;
                }
            } catch (IOException busy) {
                // the UDP side was taken: try another
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 for both TCP and UDP");
    }
}
