package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer;

/**
 * Why {@link NettyTransport} threw a packet or stream away; each has its counter in {@link
 * TransportStats}, and {@link NettyTransport.Builder#dropListener} hears of each as it happens.
 */
public enum TransportDrop {
    /** A stream (inbound, or a reply to our request) longer than the size limit. */
    OVERSIZE,
    /** A stream the framer rejected. */
    MALFORMED,
    /**
     * An inbound connection closed on arrival: every slot it may take was taken (all of them, or
     * for a non-member all but the members' reserve).
     */
    TOO_MANY_STREAMS,
    /** An inbound connection closed on arrival: its non-member IP holds its share of slots. */
    TOO_MANY_STREAMS_FROM_SOURCE,
    /** An inbound stream that outlived the stream timeout, or a request that timed out. */
    TIMEOUT,
    /** A datagram the OS refused, or a request that failed to connect, write or read. */
    SEND_FAILURE,
    /** A stream refused on its first byte: plaintext to a node with keys. */
    NOT_ENCRYPTED;

    /** The framer's reason for refusing a stream. */
    static TransportDrop of(StreamFramer.MalformedStreamException e) {
        return StreamFramer.NOT_ENCRYPTED.equals(e.reason()) ? NOT_ENCRYPTED : MALFORMED;
    }
}
