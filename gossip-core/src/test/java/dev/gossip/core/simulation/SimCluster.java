package dev.gossip.core.simulation;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.sim.Link;
import dev.gossip.core.sim.NodeScheduler;
import dev.gossip.core.sim.SimulatedNetwork;
import dev.gossip.core.sim.VirtualTime;
import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Many gossip nodes on a simulated network in virtual time, deterministic from a seed. Nodes are
 * named {@code node-<i>} at {@code 10.<i/250>.<i%250>.1:7946}.
 */
final class SimCluster {

    final VirtualTime time = new VirtualTime();
    final SimulatedNetwork network;
    final long seed;
    final Timings timings;
    final Map<String, SimNode> nodes = new LinkedHashMap<>();

    /** One simulated node and what it saw. */
    static final class SimNode {
        final String name;
        final InetSocketAddress address;
        final GossipNode node;
        final NodeScheduler scheduler;
        final Transport transport;
        final List<GossipEvent> events = new CopyOnWriteArrayList<>();
        boolean crashed;

        SimNode(String name, InetSocketAddress address, GossipNode node, NodeScheduler scheduler,
                Transport transport) {
            this.name = name;
            this.address = address;
            this.node = node;
            this.scheduler = scheduler;
            this.transport = transport;
        }

        Optional<Member> view(String other) {
            return node.member(other);
        }

        MemberStatus statusOf(String other) {
            return node.member(other).map(Member::status).orElse(MemberStatus.NONE);
        }
    }

    SimCluster(long seed, Timings timings) {
        this.seed = seed;
        this.timings = timings;
        this.network = new SimulatedNetwork(time, seed);
        network.setDefaultLink(Link.LAN);
    }

    static InetSocketAddress address(int i) {
        return new InetSocketAddress("10." + (i / 250) + "." + (i % 250) + ".1", 7946);
    }

    SimNode add(int i, Map<String, String> tags) {
        String name = "node-" + i;
        InetSocketAddress addr = address(i);
        NodeScheduler scheduler = time.newScheduler();
        Transport transport = network.transport(addr);
        GossipConfig config = GossipConfig.builder().nodeName(name).bindPort(7946).timings(timings)
                .tags(tags).retryJoin(false).build();
        GossipNode node = GossipNode.create(config, new GossipNode.Runtime(scheduler, transport,
                new SplittableRandom(seed * 1_000_003L + i), () -> { }));
        SimNode sim = new SimNode(name, addr, node, scheduler, transport);
        node.addListener(sim.events::add);
        nodes.put(name, sim);
        node.start();
        return sim;
    }

    /** Starts nodes 0..n-1; each joins a random earlier node, one every {@code gap}. */
    List<SimNode> startCluster(int n, Duration gap) {
        List<SimNode> started = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            SimNode node = add(i, Map.of("role", "test"));
            if (i > 0) {
                String seedAddr = "10." + 0 + "." + 0 + ".1:7946";
                int target = r.nextInt(i);
                InetSocketAddress t = address(target);
                seedAddr = t.getAddress().getHostAddress() + ":" + t.getPort();
                node.node.joinAsync(List.of(seedAddr));
            }
            started.add(node);
            time.runFor(gap.toNanos());
        }
        return started;
    }

    SimNode node(String name) {
        return nodes.get(name);
    }

    List<SimNode> live() {
        return nodes.values().stream().filter(n -> !n.crashed).toList();
    }

    /** Kills a node without a word: its scheduler stops and its sockets vanish. */
    void crash(SimNode n) {
        n.crashed = true;
        n.scheduler.stop();
        n.transport.shutdown();
    }

    boolean runUntil(Predicate<SimCluster> condition, Duration check, Duration max) {
        return time.runUntil(() -> condition.test(this), check.toNanos(), max.toNanos());
    }

    /** Every live node sees exactly the given status for {@code name}. */
    boolean allSee(String name, MemberStatus status) {
        for (SimNode n : live()) {
            if (!n.name.equals(name) && n.statusOf(name) != status) {
                return false;
            }
        }
        return true;
    }

    /** Every live node sees every other live node alive. */
    boolean converged() {
        List<SimNode> live = live();
        for (SimNode n : live) {
            for (SimNode other : live) {
                if (n.statusOf(other.name) != MemberStatus.ALIVE) {
                    return false;
                }
            }
        }
        return true;
    }

    double seconds() {
        return time.now() / 1e9;
    }
}
