package dev.gossip.spring.actuate;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.sim.Link;
import dev.gossip.core.sim.SimulatedNetwork;
import dev.gossip.core.sim.VirtualTime;
import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Real gossip nodes on the core's simulated network, in virtual time: real member states
 * (suspect, failed, left) in milliseconds, without sockets, and the same run from the same seed.
 * Node {@code i} is {@code node-<i>} at {@code 10.0.0.<i+1>:7946}; every node joins node 0.
 */
public final class SimulatedCluster {

    private static final Duration CHECK_EVERY = Duration.ofMillis(10);

    private final VirtualTime time = new VirtualTime();
    private final SimulatedNetwork network;
    private final long seed;
    /** An address outside the cluster that sends raw datagrams; opened on first use. */
    private Transport stranger;

    public SimulatedCluster(long seed) {
        this.seed = seed;
        this.network = new SimulatedNetwork(time, seed);
        network.setDefaultLink(Link.LAN);
    }

    /** Starts node {@code i} with {@code tags} and, unless it is node 0, joins node 0. */
    public GossipNode start(int i, Map<String, String> tags) {
        InetSocketAddress address = address(i);
        GossipConfig config = GossipConfig.builder().nodeName("node-" + i).bindPort(7946).tags(tags)
                .timings(Timings.lan()).retryJoin(false).build();
        GossipNode node = GossipNode.create(config, new GossipNode.Runtime(time.newScheduler(),
                network.transport(address), new SplittableRandom(seed * 31 + i), () -> { }));
        node.start();
        if (i > 0) {
            node.joinAsync(List.of("10.0.0.1:7946"));
        }
        return node;
    }

    /** Starts nodes 0..n-1 and runs until each sees all n alive. */
    public List<GossipNode> startAll(int n) {
        List<GossipNode> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(start(i, Map.of("service", "svc-" + i)));
        }
        runUntil(() -> nodes.stream().allMatch(node -> node.members().size() == n
                && node.members().stream().allMatch(m -> m.status() == MemberStatus.ALIVE && !m.suspect())),
                Duration.ofSeconds(30), "all " + n + " nodes see each other alive");
        return nodes;
    }

    /** Leaves gracefully and stops: the others see it left. */
    public void leave(GossipNode node) {
        CompletableFuture<Void> left = node.leave();
        runUntil(left::isDone, Duration.ofSeconds(30), node.name() + " finished leaving");
        node.shutdown();
    }

    /** Sends {@code node} a datagram from outside the cluster and runs until it has dropped it. */
    public void sendGarbage(GossipNode node, byte[] packet) {
        if (stranger == null) {
            stranger = network.transport(new InetSocketAddress("10.0.0.250", 7946));
            stranger.start(new Transport.Receiver() {
                @Override
                public void onPacket(byte[] packet, InetSocketAddress from) {
                }

                @Override
                public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
                    reply.close();
                }
            });
        }
        long before = node.stats().totalDrops();
        stranger.sendPacket(node.localAddress(), packet);
        runUntil(() -> node.stats().totalDrops() > before, Duration.ofSeconds(1), node.name() + " dropped the packet");
    }

    /** Runs virtual time until {@code viewer} sees {@code subject} in the state {@code state} describes. */
    public void runUntilSeen(GossipNode viewer, String subject, Predicate<Member> state,
                             String description) {
        runUntil(() -> viewer.member(subject).filter(state).isPresent(), Duration.ofSeconds(60),
                viewer.name() + " sees " + subject + " " + description);
    }

    /** Runs virtual time until {@code condition} holds; fails after {@code max} of virtual time. */
    public void runUntil(BooleanSupplier condition, Duration max, String what) {
        if (!time.runUntil(condition, CHECK_EVERY.toNanos(), max.toNanos())) {
            throw new AssertionError("not within " + max + " of virtual time: " + what);
        }
        if (time.firstFailure() != null) {
            throw new AssertionError("a simulated task failed", time.firstFailure());
        }
    }

    /** Runs virtual time for {@code d}. */
    public void runFor(Duration d) {
        time.runFor(d.toNanos());
        if (time.firstFailure() != null) {
            throw new AssertionError("a simulated task failed", time.firstFailure());
        }
    }

    /** Sets the link between nodes {@code a} and {@code b}, both ways. */
    public void link(int a, int b, Link link) {
        network.setLink(address(a), address(b), link);
        network.setLink(address(b), address(a), link);
    }

    private static InetSocketAddress address(int i) {
        return new InetSocketAddress("10.0.0." + (i + 1), 7946);
    }
}
