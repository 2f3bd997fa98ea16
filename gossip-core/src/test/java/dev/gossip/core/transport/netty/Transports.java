package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Creates loopback transports for a test and shuts them all down afterwards, closing first the
 * client sockets the test kept open.
 */
final class Transports implements AutoCloseable {

    static final InetAddress LOOPBACK = loopback();

    private final List<NettyTransport> started = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static NettyTransport.Builder loopbackBuilder(String name) {
        return NettyTransport.builder()
                .name(name)
                .bindAddress(new InetSocketAddress(LOOPBACK, 0))
                .framer(new LengthPrefixFramer())
                .ioThreads(1);
    }

    NettyTransport start(String name, Transport.Receiver receiver) {
        return start(name, receiver, UnaryOperator.identity());
    }

    NettyTransport start(String name, Transport.Receiver receiver,
                         UnaryOperator<NettyTransport.Builder> config) {
        NettyTransport transport = config.apply(loopbackBuilder(name)).build();
        started.add(transport);
        transport.start(receiver);
        return transport;
    }

    /** Keeps {@code socket} open until {@link #close()}. */
    Socket keep(Socket socket) {
        sockets.add(socket);
        return socket;
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        started.forEach(NettyTransport::shutdown);
    }
}
