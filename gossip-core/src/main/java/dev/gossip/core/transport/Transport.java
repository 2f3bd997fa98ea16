package dev.gossip.core.transport;

import java.net.InetSocketAddress;

/**
 * The seam between the protocol and the network: unreliable packets (UDP) and short
 * request/reply streams (TCP), both on one address. Implemented by Netty and by the simulated
 * network.
 *
 * <p>A stream carries one framed message each way (push/pull, TCP ping, user message); where a
 * message ends is decided by a {@link StreamFramer}. Callbacks may arrive on any thread: the node
 * hands them to its own scheduler.
 */
public interface Transport {

    /** Binds and starts delivering to {@code receiver}. Fails with a message naming the address. */
    void start(Receiver receiver) throws TransportException;

    /** The address actually bound (the port is resolved when 0 was asked for). */
    InetSocketAddress localAddress();

    /** Sends one datagram; loss is silent, as with UDP. */
    void sendPacket(InetSocketAddress to, byte[] packet);

    /**
     * Opens a stream to {@code to}, writes {@code message} and, if {@code expectReply}, reads one
     * framed reply. Completes {@code callback} exactly once: with the reply (or {@code null} when
     * none was expected), or with a failure when connecting, writing or reading fails or
     * {@code timeoutNanos} passes.
     */
    void request(InetSocketAddress to, byte[] message, boolean expectReply, long timeoutNanos,
                 StreamCallback callback);

    /** Closes sockets; no callback fires afterwards. */
    void shutdown();

    /** Receives what arrives at this transport. */
    interface Receiver {
        /** One datagram as it arrived. */
        void onPacket(byte[] packet, InetSocketAddress from);

        /** One framed message read from an inbound stream; answer (or close) through {@code reply}. */
        void onStream(byte[] message, InetSocketAddress from, StreamReply reply);
    }

    /** The other end of an inbound stream. Exactly one of its methods should be called, once. */
    interface StreamReply {
        /** Writes {@code message} and closes the stream once it has been flushed. */
        void reply(byte[] message);

        /** Closes the stream without replying. */
        void close();
    }

    /** Outcome of {@link #request}. */
    interface StreamCallback {
        void onReply(byte[] reply);

        void onFailure(Throwable cause);
    }
}
