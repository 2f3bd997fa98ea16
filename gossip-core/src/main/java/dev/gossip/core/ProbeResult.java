package dev.gossip.core;

/**
 * How a probe of one member ended ({@link GossipNode#probe(String)}): SWIM's direct ping, then
 * indirect pings through other members and a TCP ping, as every probe round runs them.
 */
public enum ProbeResult {
    /** It acked our own ping, over UDP or TCP: we reach it. */
    ACKED,
    /** Only the members we asked to ping it for us got an ack: it lives, but we cannot reach it. */
    ACKED_BY_OTHERS,
    /** No ack at all: we now suspect it, and the cluster hears so through the normal protocol. */
    NO_ACK,
    /** Not probed: not a member we hold alive or suspect, or the node is stopping. */
    NOT_PROBED
}
