package dev.gossip.core.membership;

import dev.gossip.core.Interner;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Timings;
import dev.gossip.core.sim.NodeScheduler;
import dev.gossip.core.sim.SimulatedNetwork;
import dev.gossip.core.sim.VirtualTime;
import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Two bare memberlists (no Serf) on a simulated network in virtual time, with a delegate the
 * test controls: it can make the layer above throw, and hand out many small broadcasts.
 */
final class TwoMemberlists {

    /** A delegate that records user messages, and throws on demand. */
    static final class TestDelegate implements MembershipDelegate {
        boolean failing;
        final List<byte[]> outgoing = new ArrayList<>();
        final List<byte[]> received = new ArrayList<>();

        private void maybeFail() {
            if (failing) {
                throw new IllegalStateException("injected failure");
            }
        }

        @Override public void notifyMsg(byte[] message) { received.add(message); }

        @Override
        public List<byte[]> getBroadcasts(int overhead, int limit) {
            maybeFail();
            List<byte[]> out = new ArrayList<>();
            int used = 0;
            while (!outgoing.isEmpty() && used + outgoing.get(0).length + overhead <= limit) {
                byte[] b = outgoing.remove(0);
                used += b.length + overhead;
                out.add(b);
            }
            return out;
        }

        @Override
        public byte[] localState(boolean join) {
            maybeFail();
            return new byte[0];
        }

        @Override public RemoteState decodeRemoteState(byte[] state) { return join -> { }; }
        @Override public byte[] ackPayload() { return new byte[0]; }
        @Override public void notifyPingComplete(NodeState node, long rttNanos, byte[] payload) { }
        @Override public void notifyJoin(NodeState node) { }
        @Override public void notifyLeave(NodeState node) { }
        @Override public void notifyUpdate(NodeState node) { }
        @Override public void notifyConflict(NodeState existing, NodeState other) { }
    }

    final VirtualTime time = new VirtualTime();
    final SimulatedNetwork network = new SimulatedNetwork(time, 7);
    final InetSocketAddress addrA = new InetSocketAddress("10.0.0.1", 7946);
    final InetSocketAddress addrB = new InetSocketAddress("10.0.0.2", 7946);
    final GossipStats statsA = new GossipStats();
    final GossipStats statsB = new GossipStats();
    final TestDelegate delegateA = new TestDelegate();
    final TestDelegate delegateB = new TestDelegate();
    final Memberlist a;
    final Memberlist b;

    TwoMemberlists(UnaryOperator<Timings.Builder> timingsA, UnaryOperator<Timings.Builder> timingsB) {
        a = node("a", addrA, timingsA.apply(Timings.lan().toBuilder()).build(), statsA, delegateA, 1);
        b = node("b", addrB, timingsB.apply(Timings.lan().toBuilder()).build(), statsB, delegateB, 2);
    }

    private Memberlist node(String name, InetSocketAddress addr, Timings t, GossipStats stats,
                            TestDelegate delegate, long seed) {
        NodeScheduler scheduler = time.newScheduler();
        Transport transport = network.transport(addr);
        Memberlist m = new Memberlist(new MemberlistConfig(name, addr.getAddress(), addr.getPort(),
                MemberlistConfig.defaultVsn(), t, () -> null, scheduler, transport,
                new SplittableRandom(seed), stats, Interner.NONE), delegate, new byte[0]);
        transport.start(new Transport.Receiver() {
            @Override
            public void onPacket(byte[] packet, InetSocketAddress from) {
                scheduler.execute(() -> m.onPacket(packet, from));
            }

            @Override
            public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
                scheduler.execute(() -> m.onStream(message, from, reply));
            }
        });
        return m;
    }

    /** Starts both and joins b to a; returns once each knows the other. */
    void startAndJoin() {
        a.start();
        b.start();
        b.join(List.of(addrA), ok -> { });
        time.runUntil(() -> a.numNodes() == 2 && b.numNodes() == 2, 10_000_000L, 10_000_000_000L);
        if (a.numNodes() != 2 || b.numNodes() != 2) {
            throw new AssertionError("the two nodes did not join");
        }
    }

    void runSeconds(double s) {
        time.runFor((long) (s * 1e9));
    }
}
