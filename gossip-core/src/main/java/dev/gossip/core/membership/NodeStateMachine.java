package dev.gossip.core.membership;

import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Alive;
import java.net.InetSocketAddress;

/**
 * The node state transitions of §5.1 (memberlist state.go: aliveNode, suspectNode, deadNode), as
 * the packet layer, the prober and push/pull drive them. {@link Memberlist} owns the state.
 */
interface NodeStateMachine {

    /** News that a node is alive; {@code bootstrap} is our own start-up or update. */
    void aliveNode(Alive a, boolean bootstrap);

    void suspectNode(Accusation s);

    /** A suspect message that came in a packet from {@code from}. */
    default void suspectNode(Accusation s, InetSocketAddress from) {
        suspectNode(s);
    }

    /** {@code onSent}, if not null, runs once the dead message has been gossiped enough. */
    void deadNode(Accusation d, Runnable onSent);

    /**
     * A member holds our name as dead at {@code addr}:{@code port} (a push/pull said so): if that
     * is not our address, it is an earlier life of ours, which that member will let go of only
     * after deadNodeReclaimTime.
     */
    void ourNameDeadAt(byte[] addr, int port);

    /**
     * A member suspects our name at {@code addr}:{@code port} at {@code incarnation} (a push/pull
     * said so): if that is not our address, it is an earlier life of ours that the cluster is
     * about to declare dead.
     */
    void ourNameSuspectAt(byte[] addr, int port, long incarnation);
}
