package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shields the event loop from the node: nothing is delivered once the transport has stopped, and
 * an exception thrown by the node is logged instead of travelling up a Netty pipeline.
 */
final class GuardedReceiver implements Transport.Receiver {

    private static final Logger log = LoggerFactory.getLogger(GuardedReceiver.class);

    private final Transport.Receiver delegate;
    private final BooleanSupplier stopped;

    GuardedReceiver(Transport.Receiver delegate, BooleanSupplier stopped) {
        this.delegate = delegate;
        this.stopped = stopped;
    }

    @Override
    public void onPacket(byte[] packet, InetSocketAddress from) {
        if (stopped.getAsBoolean()) {
            return;
        }
        try {
            delegate.onPacket(packet, from);
        } catch (RuntimeException e) {
            log.warn("Receiver failed on a packet from {}", from, e);
        }
    }

    @Override
    public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
        if (stopped.getAsBoolean()) {
            reply.close();
            return;
        }
        try {
            delegate.onStream(message, from, reply);
        } catch (RuntimeException e) {
            log.warn("Receiver failed on a stream from {}", from, e);
            reply.close();
        }
    }
}
