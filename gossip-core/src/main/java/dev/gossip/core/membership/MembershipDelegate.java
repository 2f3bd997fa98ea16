package dev.gossip.core.membership;

import java.util.List;

/**
 * What the layer above (Serf) plugs into the failure detector, as memberlist's Delegate,
 * EventDelegate, PingDelegate and ConflictDelegate. All calls arrive on the node's thread, except
 * {@link #decodeRemoteState}.
 */
public interface MembershipDelegate {

    /** A user message (gossiped or direct) arrived. */
    void notifyMsg(byte[] message);

    /**
     * A user message, with the address it came from (the sender of the datagram or stream, which
     * for gossip is the relaying member, not the author); by default the address is ignored.
     */
    default void notifyMsg(byte[] message, java.net.InetSocketAddress from) {
        notifyMsg(message);
    }

    /** Broadcasts of the layer above that fit in {@code limit} bytes, {@code overhead} each. */
    List<byte[]> getBroadcasts(int overhead, int limit);

    /** State sent in a push/pull. */
    byte[] localState(boolean join);

    /**
     * Decodes state received in a push/pull, on whichever thread read the stream: it must only
     * decode, touching no node state. Malformed state is the delegate's to count; return a
     * {@link RemoteState} that merges nothing then, as memberlist still merges its own part.
     */
    RemoteState decodeRemoteState(byte[] state);

    /** Decoded push/pull state of the layer above, merged on the node's thread. */
    @FunctionalInterface
    interface RemoteState {
        void merge(boolean join);
    }

    /** Payload put in acks to our pings (Serf: the Vivaldi coordinate). */
    byte[] ackPayload();

    /** A direct probe of {@code node} was answered after {@code rttNanos}. */
    void notifyPingComplete(NodeState node, long rttNanos, byte[] payload);

    void notifyJoin(NodeState node);

    void notifyLeave(NodeState node);

    void notifyUpdate(NodeState node);

    /**
     * {@code node} became suspect ({@code true}) or is alive ({@code false}): cleared of
     * suspicion, or just at a new incarnation (a refutation, ours included).
     */
    default void notifySuspect(NodeState node, boolean suspect) {
    }

    /** Another node claims the name of {@code existing} from a different address. */
    void notifyConflict(NodeState existing, NodeState other);
}
