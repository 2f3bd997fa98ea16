package dev.gossip.core.membership;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** NodeStates as memberlist would hand them to its delegate, for tests of the layer above. */
public final class TestNodes {

    private TestNodes() {}

    /** An alive node at 10.0.0.{@code host}:7946 with the default Vsn. */
    public static NodeState alive(String name, int host, byte[] meta) {
        NodeState n = new NodeState(name, ip(host), 7946, meta, MemberlistConfig.defaultVsn());
        n.state = NodeState.State.ALIVE;
        n.incarnation = 1;
        return n;
    }

    /** The same node, now in {@code state} (DEAD for a failure, LEFT for dead-from-itself). */
    public static NodeState in(NodeState n, NodeState.State state) {
        n.state = state;
        return n;
    }

    private static InetAddress ip(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) host});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
