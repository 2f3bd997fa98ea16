package dev.gossip.core.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds TCP and UDP to one port, as memberlist does: peers learn a single address and use it for
 * both. TCP goes first so that port 0 gets an ephemeral port, then UDP takes the same number; if
 * that UDP port happens to be taken, another ephemeral port is tried.
 *
 * <p>Blocks until bound, so it must not run on an event loop.
 */
final class SharedPortBinder {

    private static final Logger log = LoggerFactory.getLogger(SharedPortBinder.class);

    /** memberlist retries the same way, ten times. */
    static final int EPHEMERAL_ATTEMPTS = 10;

    /** Both channels, bound to the same port. */
    record Bound(Channel tcp, Channel udp) {
        InetSocketAddress localAddress() {
            return (InetSocketAddress) tcp.localAddress();
        }
    }

    private SharedPortBinder() {
    }

    /** @throws PortBindException naming the address and protocol that failed */
    static Bound bind(ServerBootstrap tcp, Bootstrap udp, InetSocketAddress requested) {
        int attempts = requested.getPort() == 0 ? EPHEMERAL_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            ChannelFuture tcpBound = tcp.bind(requested).awaitUninterruptibly();
            if (!tcpBound.isSuccess()) {
                throw new PortBindException(requested, "TCP", tcpBound.cause());
            }
            int port = ((InetSocketAddress) tcpBound.channel().localAddress()).getPort();
            InetSocketAddress udpAddress = new InetSocketAddress(requested.getAddress(), port);
            ChannelFuture udpBound = udp.bind(udpAddress).awaitUninterruptibly();
            if (udpBound.isSuccess()) {
                return new Bound(tcpBound.channel(), udpBound.channel());
            }
            tcpBound.channel().close().awaitUninterruptibly();
            if (attempt >= attempts) {
                throw new PortBindException(udpAddress, "UDP", udpBound.cause());
            }
            log.debug("UDP port {} is taken although TCP was free; trying another port", port);
        }
    }
}
