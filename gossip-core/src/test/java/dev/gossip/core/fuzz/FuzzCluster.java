package dev.gossip.core.fuzz;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Member;
import dev.gossip.core.Timings;
import dev.gossip.core.sim.Link;
import dev.gossip.core.sim.SimulatedNetwork;
import dev.gossip.core.sim.VirtualTime;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.Packets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A few gossip nodes in virtual time (the relevant bits of {@code simulation.SimCluster}), plus an
 * attacker endpoint on the same simulated network that sends whatever a test gives it.
 */
final class FuzzCluster {

    /** Where the hostile bytes come from: an address no node uses. */
    static final InetSocketAddress ATTACKER = new InetSocketAddress("10.66.66.66", 7946);

    final VirtualTime time = new VirtualTime();
    final SimulatedNetwork network;
    final long seed;
    final List<GossipNode> nodes = new ArrayList<>();
    final Transport attacker;
    /** What reached the attacker's address: the victim's acks, relays, query responses. */
    long packetsToAttacker;
    /**
     * Per node, the streams of the cluster's own traffic that its stream counter sees: push/pulls
     * and TCP pings from other nodes, and the replies to its own push/pulls.
     */
    final Map<String, Long> ownStreams = new java.util.HashMap<>();

    /** The nodes' timings; set before starting them. */
    Timings timings = Timings.lan();

    FuzzCluster(long seed) {
        this.seed = seed;
        this.network = new SimulatedNetwork(time, seed);
        network.setDefaultLink(Link.LAN);
        attacker = network.transport(ATTACKER);
        attacker.start(new Transport.Receiver() {
            @Override
            public void onPacket(byte[] packet, InetSocketAddress from) {
                packetsToAttacker++;
            }

            @Override
            public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
                reply.close();
            }
        });
    }

    static InetSocketAddress address(int i) {
        return new InetSocketAddress("10.0." + i + ".1", 7946);
    }

    static String name(int i) {
        return "node-" + i;
    }

    /** Starts node {@code i} and, unless it is the first, joins it through {@code seedIndex}. */
    GossipNode add(int i, int seedIndex) {
        GossipConfig config = GossipConfig.builder().nodeName(name(i)).bindPort(7946)
                .timings(timings).tags(Map.of("role", "fuzz")).retryJoin(false).build();
        GossipNode node = GossipNode.create(config, new GossipNode.Runtime(time.newScheduler(),
                counted(name(i), network.transport(address(i))), new SplittableRandom(seed * 1_000_003L + i),
                () -> { }));
        nodes.add(node);
        node.start();
        if (seedIndex >= 0) {
            InetSocketAddress s = address(seedIndex);
            node.joinAsync(List.of(s.getAddress().getHostAddress() + ":" + s.getPort()));
        }
        return node;
    }

    /** Counts, into {@link #ownStreams}, what a node's stream counter sees that the attacker did not send. */
    private Transport counted(String name, Transport inner) {
        return new Transport() {
            @Override
            public void start(Receiver receiver) {
                inner.start(new Receiver() {
                    @Override
                    public void onPacket(byte[] packet, InetSocketAddress from) {
                        receiver.onPacket(packet, from);
                    }

                    @Override
                    public void onStream(byte[] message, InetSocketAddress from, StreamReply reply) {
                        if (!from.equals(ATTACKER)) {
                            ownStreams.merge(name, 1L, Long::sum);
                        }
                        receiver.onStream(message, from, reply);
                    }
                });
            }

            @Override
            public InetSocketAddress localAddress() {
                return inner.localAddress();
            }

            @Override
            public void sendPacket(InetSocketAddress to, byte[] packet) {
                inner.sendPacket(to, packet);
            }

            @Override
            public void request(InetSocketAddress to, byte[] message, boolean expectReply, long timeoutNanos,
                                StreamCallback callback) {
                boolean pushPull = isPushPull(message);
                inner.request(to, message, expectReply, timeoutNanos, new StreamCallback() {
                    @Override
                    public void onReply(byte[] reply) {
                        if (pushPull && reply != null) {
                            ownStreams.merge(name, 1L, Long::sum);
                        }
                        callback.onReply(reply);
                    }

                    @Override
                    public void onFailure(Throwable cause) {
                        callback.onFailure(cause);
                    }
                });
            }

            @Override
            public void shutdown() {
                inner.shutdown();
            }
        };
    }

    /** A node's own stream request (compressed, never encrypted here): push/pull rather than TCP ping. */
    private static boolean isPushPull(byte[] message) {
        try {
            byte[] plain = (message[0] & 0xff) == MessageType.COMPRESS
                    ? Packets.decompress(message, 1, message.length - 1) : message;
            return (plain[0] & 0xff) == MessageType.PUSH_PULL;
        } catch (MalformedMessageException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code n} nodes, each joining node 0; runs until all see each other alive. */
    void start(int n) {
        for (int i = 0; i < n; i++) {
            add(i, i == 0 ? -1 : 0);
            time.runFor(Duration.ofMillis(100).toNanos());
        }
        if (!awaitConverged(Duration.ofSeconds(30))) {
            throw new IllegalStateException("cluster of " + n + " did not converge before fuzzing");
        }
    }

    boolean awaitConverged(Duration max) {
        return time.runUntil(this::converged, Duration.ofMillis(100).toNanos(), max.toNanos());
    }

    /** Every node sees every node (itself included) alive. */
    boolean converged() {
        for (GossipNode n : nodes) {
            for (int j = 0; j < nodes.size(); j++) {
                if (n.member(name(j)).map(Member::status).orElse(MemberStatus.NONE) != MemberStatus.ALIVE) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Who sees whom how, for failure messages. */
    String views() {
        StringBuilder sb = new StringBuilder();
        for (GossipNode n : nodes) {
            sb.append(n.name()).append(" sees");
            for (Member m : n.members()) {
                sb.append(' ').append(m.name()).append('=').append(m.status());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    void runFor(Duration d) {
        time.runFor(d.toNanos());
    }
}
