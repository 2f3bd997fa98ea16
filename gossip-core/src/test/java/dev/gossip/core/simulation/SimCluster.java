package dev.gossip.core.simulation;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Query;
import dev.gossip.core.Timings;
import dev.gossip.core.sim.Link;
import dev.gossip.core.sim.NetworkStats;
import dev.gossip.core.sim.NodeScheduler;
import dev.gossip.core.sim.SharedInterner;
import dev.gossip.core.sim.SimulatedNetwork;
import dev.gossip.core.sim.VirtualTime;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.Packets;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Many gossip nodes on a simulated network in virtual time, deterministic from a seed. Nodes are
 * named {@code node-<i>} at {@code 10.0.<i/250>.<i%250+1>:7946} (the index in the low address
 * bits, so that the network's address-keyed maps hash well).
 *
 * <p>Every node's events are recorded compactly ({@link Ev}, stamped with virtual time; unless
 * {@link #recordEvents} is off), so tests can ask when a node first saw something and how often,
 * and so a whole run can be hashed.
 */
final class SimCluster {

    final VirtualTime time = new VirtualTime();
    final SimulatedNetwork network;
    /** Every node's names, addresses and tags of its members, held once for the whole cluster. */
    final SharedInterner interner = new SharedInterner();
    final long seed;
    final Timings timings;
    final Map<String, SimNode> nodes = new LinkedHashMap<>();
    /** Applied to every node's config before it is built (keyrings, for instance). */
    UnaryOperator<GossipConfig.Builder> configure = b -> b;
    /** Sees every UDP packet a node sends, before anything can drop it; null = none. */
    PacketTap tap;
    /** Drops chosen UDP packets as they are sent (finer than the network's links); null = none. */
    PacketFilter filter;
    /** Refuses chosen streams (push/pull, TCP ping) as if the connection failed; null = none. */
    StreamFilter streamFilter;
    /**
     * Whether each node's events are recorded in {@link SimNode#events}. A long run turns it off:
     * the history grows with every event of every node.
     */
    boolean recordEvents = true;
    /** Runs the harness's own deliveries (refused streams). */
    private final NodeScheduler harness = time.newScheduler();

    /** Watches outgoing packets (to check what is on the wire, e.g. the buddy system). */
    @FunctionalInterface
    interface PacketTap {
        void sent(InetSocketAddress from, InetSocketAddress to, byte[] packet);
    }

    /** Decides, by content, whether a packet is lost. */
    @FunctionalInterface
    interface PacketFilter {
        boolean drop(InetSocketAddress from, InetSocketAddress to, byte[] packet);
    }

    /** Decides whether a stream from one address to another cannot connect. */
    @FunctionalInterface
    interface StreamFilter {
        boolean refuse(InetSocketAddress from, InetSocketAddress to);
    }

    /**
     * One event a node saw: {@code kind} is the Serf name ("member-join", "member-failed", ...,
     * "user", "query"), {@code subject} the member (or event/query name), {@code detail} the
     * member's status and incarnation, or the event payload.
     */
    record Ev(long atNanos, String kind, String subject, MemberStatus status, long number, String payload) {
        /** The member's status and incarnation, or the event's Lamport time and payload. */
        String detail() {
            return status != null ? status.serfName() + "/" + number : number + ":" + payload;
        }

        @Override
        public String toString() {
            return String.format("%.3fs %s %s %s", atNanos / 1e9, kind, subject, detail());
        }
    }

    /** One simulated node and what it saw. */
    static final class SimNode {
        final int index;
        final String name;
        final InetSocketAddress address;
        final GossipNode node;
        final NodeScheduler scheduler;
        final Transport transport;
        final List<Ev> events = new ArrayList<>();
        boolean crashed;
        /** How many times this node was restarted. */
        int generation;

        SimNode(int index, String name, InetSocketAddress address, GossipNode node,
                NodeScheduler scheduler, Transport transport) {
            this.index = index;
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

        /** How many events of {@code kind} about {@code subject} this node saw. */
        long count(String kind, String subject) {
            return events.stream().filter(e -> e.kind.equals(kind) && e.subject.equals(subject)).count();
        }

        /** When this node first saw an event of {@code kind} about {@code subject}, or -1. */
        long firstAt(String kind, String subject) {
            for (Ev e : events) {
                if (e.kind.equals(kind) && e.subject.equals(subject)) {
                    return e.atNanos;
                }
            }
            return -1;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What it takes to start a node that has stopped again, and nothing of its old process: a
     * long run that {@link #forget forgets} its stopped nodes keeps no dead node's heap.
     */
    record Stopped(int index, String name, InetSocketAddress address, Map<String, String> tags, int generation) {}

    SimCluster(long seed, Timings timings) {
        this(seed, timings, Link.LAN);
    }

    SimCluster(long seed, Timings timings, Link defaultLink) {
        this.seed = seed;
        this.timings = timings;
        this.network = new SimulatedNetwork(time, seed);
        network.setDefaultLink(defaultLink);
    }

    static InetSocketAddress address(int i) {
        return new InetSocketAddress("10.0." + (i / 250) + "." + (i % 250 + 1), 7946);
    }

    static String seedOf(int i) {
        InetSocketAddress t = address(i);
        return t.getAddress().getHostAddress() + ":" + t.getPort();
    }

    /** Node {@code i} without tags (tags cost memory in every peer's view of big clusters). */
    SimNode add(int i) {
        return add(i, Map.of(), configure);
    }

    SimNode add(int i, Map<String, String> tags) {
        return add(i, tags, configure);
    }

    /** Creates and starts node {@code i} (no join yet). */
    SimNode add(int i, Map<String, String> tags, UnaryOperator<GossipConfig.Builder> customize) {
        return start(i, address(i), tags, customize, 0);
    }

    /** Node {@code i} at an address of the test's choosing, e.g. several nodes on one host. */
    SimNode addAt(int i, InetSocketAddress at) {
        return start(i, at, Map.of(), configure, 0);
    }

    /**
     * Starts a fresh process for a node that crashed or shut down: same name and address, empty
     * state, incarnation 1 (no join yet). Its old record (and events) are replaced.
     */
    SimNode restart(SimNode old) {
        return restartAt(old, old.address);
    }

    /**
     * As {@link #restart}, but the new process comes up at {@code addr} (a rescheduled container
     * with a new IP), under the same name.
     */
    SimNode restartAt(SimNode old, InetSocketAddress addr) {
        if (!old.crashed && old.node.isRunning()) {
            throw new IllegalStateException(old + " is still running");
        }
        return start(old.index, addr, old.node.config().tags(), configure, old.generation + 1);
    }

    /** As {@link #restartAt(SimNode, InetSocketAddress)}, for a node that was {@link #forget forgotten}. */
    SimNode restartAt(Stopped old, InetSocketAddress addr) {
        if (nodes.containsKey(old.name())) {
            throw new IllegalStateException(old.name() + " is in the cluster again");
        }
        return start(old.index(), addr, old.tags(), configure, old.generation() + 1);
    }

    /**
     * Drops a crashed or shut-down node from {@link #nodes}, so its process can be garbage
     * collected; returns what {@link #restartAt(Stopped, InetSocketAddress)} needs.
     */
    Stopped forget(SimNode n) {
        if (!n.crashed && n.node.isRunning()) {
            throw new IllegalStateException(n + " is still running");
        }
        nodes.remove(n.name, n);
        return new Stopped(n.index, n.name, n.address, n.node.config().tags(), n.generation);
    }

    /** A second process under node {@code i}'s name at {@code addr}, e.g. a misconfigured clone. */
    SimNode impostor(int i, InetSocketAddress addr) {
        SimNode original = node(i);
        SimNode clone = start(i, addr, Map.of(), configure, 1000); // a generation of its own: its own random seed
        nodes.put(original.name, original); // the original keeps its place; the clone is returned only
        return clone;
    }

    private SimNode start(int i, InetSocketAddress addr, Map<String, String> tags,
                          UnaryOperator<GossipConfig.Builder> customize, int generation) {
        String name = "node-" + i;
        NodeScheduler scheduler = time.newScheduler();
        Transport transport = tapped(network.transport(addr));
        GossipConfig config = customize.apply(GossipConfig.builder().nodeName(name).bindPort(addr.getPort())
                .timings(timings).tags(tags).retryJoin(false)).build();
        GossipNode node = GossipNode.create(config, new GossipNode.Runtime(scheduler, transport,
                new SplittableRandom(seed * 1_000_003L + i + 7919L * generation), () -> { }, interner));
        SimNode sim = new SimNode(i, name, addr, node, scheduler, transport);
        sim.generation = generation;
        if (recordEvents) {
            node.addListener(e -> sim.events.add(compact(e)));
        }
        nodes.put(name, sim);
        node.start();
        return sim;
    }

    /**
     * A bare transport at {@code at} that is no member, for raw packets and streams: it ignores
     * packets and answers each stream with {@code answer}'s reply, or closes it when that is null.
     */
    Transport outsider(InetSocketAddress at, UnaryOperator<byte[]> answer) {
        return outsider(at, answer, packet -> { });
    }

    /** As {@link #outsider(InetSocketAddress, UnaryOperator)}, showing each packet to {@code onPacket}. */
    Transport outsider(InetSocketAddress at, UnaryOperator<byte[]> answer, java.util.function.Consumer<byte[]> onPacket) {
        Transport t = network.transport(at);
        t.start(new Transport.Receiver() {
            @Override
            public void onPacket(byte[] packet, InetSocketAddress from) {
                onPacket.accept(packet);
            }

            @Override
            public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
                byte[] out = answer.apply(message);
                if (out == null) {
                    reply.close();
                } else {
                    reply.reply(out);
                }
            }
        });
        return t;
    }

    /** Forwards everything, showing outgoing packets to {@link #tap} first. */
    private Transport tapped(Transport inner) {
        return new Transport() {
            @Override
            public void start(Receiver receiver) {
                inner.start(receiver);
            }

            @Override
            public InetSocketAddress localAddress() {
                return inner.localAddress();
            }

            @Override
            public void sendPacket(InetSocketAddress to, byte[] packet) {
                if (tap != null) {
                    tap.sent(inner.localAddress(), to, packet);
                }
                if (filter != null && filter.drop(inner.localAddress(), to, packet)) {
                    return;
                }
                inner.sendPacket(to, packet);
            }

            @Override
            public void request(InetSocketAddress to, byte[] message, boolean expectReply, long timeoutNanos,
                                StreamCallback callback) {
                if (streamFilter != null && streamFilter.refuse(inner.localAddress(), to)) {
                    harness.schedule(0, () -> callback.onFailure(
                            new java.net.ConnectException("refused by the test: " + to)));
                    return;
                }
                inner.request(to, message, expectReply, timeoutNanos, callback);
            }

            @Override
            public void shutdown() {
                inner.shutdown();
            }
        };
    }

    /**
     * The memberlist messages in an unencrypted packet, CRC frames, compression and compounds
     * unwrapped: each starts with its type byte.
     */
    static List<byte[]> messagesIn(byte[] packet) {
        List<byte[]> out = new ArrayList<>();
        unwrap(packet, out, 0);
        return out;
    }

    private static void unwrap(byte[] buf, List<byte[]> out, int depth) {
        if (buf.length == 0 || depth > 4) {
            return;
        }
        try {
            switch (buf[0] & 0xff) {
                case MessageType.HAS_CRC -> unwrap(Packets.stripCrc(buf), out, depth + 1);
                case MessageType.COMPRESS -> unwrap(Packets.decompress(buf, 1, buf.length - 1), out, depth + 1);
                case MessageType.COMPOUND -> {
                    for (byte[] part : Packets.splitCompound(buf, 1, buf.length - 1)) {
                        unwrap(part, out, depth + 1);
                    }
                }
                default -> out.add(buf);
            }
        } catch (MalformedMessageException e) {
            throw new AssertionError("undecodable packet", e);
        }
    }

    private Ev compact(GossipEvent e) {
        long now = time.now();
        if (e instanceof GossipEvent.MemberEvent me) {
            Member m = me.members().get(0);
            return new Ev(now, me.type().serfName(), m.name(), m.status(), m.incarnation(), null);
        }
        if (e instanceof GossipEvent.UserEvent ue) {
            return new Ev(now, "user", ue.name(), null, ue.ltime(), new String(ue.payload(), StandardCharsets.UTF_8));
        }
        Query q = (Query) e;
        return new Ev(now, "query", q.name(), null, q.ltime(), q.sourceNode());
    }

    /** A cluster of {@code n} nodes, started 100 ms apart, that saw each other alive within 30 s. */
    static SimCluster formed(long seed, Timings timings, int n) {
        SimCluster c = new SimCluster(seed, timings);
        c.formCluster(n, Duration.ofMillis(100), Duration.ofSeconds(30));
        return c;
    }

    /** Fails if any scheduled task of any node threw. */
    void assertNoTaskFailures() {
        if (time.taskFailures() != 0) {
            throw new AssertionError(time.taskFailures() + " task failures, first: " + time.firstFailure());
        }
    }

    /** Starts nodes 0..n-1; each joins a random earlier node, one every {@code gap}. */
    List<SimNode> startCluster(int n, Duration gap) {
        List<SimNode> started = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            SimNode node = add(i);
            if (i > 0) {
                node.node.joinAsync(List.of(seedOf(r.nextInt(i))));
            }
            started.add(node);
            time.runFor(gap.toNanos());
        }
        return started;
    }

    /**
     * Starts {@code n} nodes (staggered by {@code gap}, each joining a random earlier one) and runs
     * until every node sees every other alive; fails if that takes more than {@code max}.
     */
    List<SimNode> formCluster(int n, Duration gap, Duration max) {
        List<SimNode> started = startCluster(n, gap);
        if (!runUntil(SimCluster::converged, Duration.ofSeconds(1), max)) {
            throw new AssertionError(n + " nodes did not converge within " + max + ": " + convergenceReport());
        }
        return started;
    }

    SimNode node(String name) {
        return nodes.get(name);
    }

    SimNode node(int i) {
        return nodes.get("node-" + i);
    }

    List<SimNode> live() {
        return nodes.values().stream().filter(n -> !n.crashed && n.node.isRunning()).toList();
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

    void runFor(Duration d) {
        time.runFor(d.toNanos());
    }

    /** Every live node (other than {@code name} itself) sees exactly the given status for {@code name}. */
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
        return convergedAmong(live());
    }

    /** Every node in {@code group} sees every node in the group alive. */
    static boolean convergedAmong(List<SimNode> group) {
        Set<String> names = new HashSet<>();
        group.forEach(n -> names.add(n.name));
        for (SimNode n : group) {
            int alive = 0;
            for (Member m : n.node.members()) {
                if (m.status() == MemberStatus.ALIVE && names.contains(m.name())) {
                    alive++;
                }
            }
            if (alive != names.size()) {
                return false;
            }
        }
        return true;
    }

    /** Which nodes miss how many live peers; for failure messages. */
    String convergenceReport() {
        List<SimNode> live = live();
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (SimNode n : live) {
            long alive = n.node.members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count();
            if (alive != live.size() && shown++ < 10) {
                sb.append(n.name).append(" sees ").append(alive).append(" alive; ");
            }
        }
        return sb.append("(").append(live.size()).append(" live)").toString();
    }

    /** Total events of {@code kind} about {@code subject} seen by all nodes. */
    long countEverywhere(String kind, String subject) {
        long total = 0;
        for (SimNode n : nodes.values()) {
            total += n.count(kind, subject);
        }
        return total;
    }

    /** Total events of {@code kind} (about anyone) seen by all nodes. */
    long countEverywhere(String kind) {
        long total = 0;
        for (SimNode n : nodes.values()) {
            for (Ev e : n.events) {
                if (e.kind.equals(kind)) {
                    total++;
                }
            }
        }
        return total;
    }

    /**
     * A fingerprint of the whole run: every node's events in order, each node's final member view
     * and protocol counters, the network counters and the clock.
     */
    String traceHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (SimNode n : nodes.values()) {
                md.update(n.name.getBytes(StandardCharsets.UTF_8));
                for (Ev e : n.events) {
                    md.update(e.toString().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) '\n');
                }
                n.node.members().stream().map(m -> m.name() + "=" + m.status() + "/" + m.incarnation())
                        .sorted().forEach(s -> md.update(s.getBytes(StandardCharsets.UTF_8)));
                md.update((n.node.stats().packetsSent() + "/" + n.node.stats().bytesSent() + "/"
                        + n.node.stats().packetsReceived() + "/" + n.node.awarenessScore())
                        .getBytes(StandardCharsets.UTF_8));
            }
            NetworkStats s = network.stats();
            md.update((s + "@" + time.now() + "#" + time.tasksRun()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Percentile (0..100) of sorted values, nearest rank. */
    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double seconds() {
        return time.now() / 1e9;
    }

    static String secs(long nanos) {
        return String.format("%.2f", nanos / 1e9);
    }
}
