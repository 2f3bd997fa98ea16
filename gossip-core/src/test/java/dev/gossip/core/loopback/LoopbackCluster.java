package dev.gossip.core.loopback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Real gossip nodes on 127.0.0.1 with Netty sockets, each on a free port, for tests. Every node
 * records what its listener saw (with the time it saw it), and {@link #close()} shuts every node
 * down and checks that none of their threads lingers.
 */
public final class LoopbackCluster implements AutoCloseable {

    /** Generous: the machine running the tests may be busy with other builds. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /**
     * Bound for cluster-wide agreement: gossip reaches a given node with high probability only,
     * and the periodic push/pull (30 s with LAN timings) is what guarantees the stragglers.
     */
    static final Duration CONVERGENCE = Duration.ofSeconds(45);
    static final Duration POLL = Duration.ofMillis(10);

    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    /** Unique per cluster, so thread names tell this cluster's threads from any other's. */
    private final String prefix = "lb" + CLUSTERS.incrementAndGet() + "-";
    private final Profile profile;
    private final List<GossipNode> nodes = new CopyOnWriteArrayList<>();
    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
    private final boolean recordEvents;

    LoopbackCluster(Profile profile) {
        this(profile, true);
    }

    /**
     * @param recordEvents false where a flood of member events is expected: recording runs on each
     *     node's own thread and keeps every event
     */
    public LoopbackCluster(Profile profile, boolean recordEvents) {
        this.profile = profile;
        this.recordEvents = recordEvents;
    }

    /** What one node's listener received, each event with the {@link System#nanoTime()} it arrived. */
    static final class Recorder {
        record Timed(long nanos, GossipEvent event) {}

        final List<Timed> events = new CopyOnWriteArrayList<>();

        List<GossipEvent.MemberEvent> memberEvents(GossipEvent.MemberEventType type, String member) {
            return events.stream().map(Timed::event)
                    .filter(e -> e instanceof GossipEvent.MemberEvent m && m.type() == type
                            && m.members().stream().anyMatch(x -> x.name().equals(member)))
                    .map(GossipEvent.MemberEvent.class::cast)
                    .toList();
        }

        /** When a member event of this type about {@code member} first arrived. */
        Optional<Long> firstNanos(GossipEvent.MemberEventType type, String member) {
            return events.stream()
                    .filter(t -> t.event() instanceof GossipEvent.MemberEvent m && m.type() == type
                            && m.members().stream().anyMatch(x -> x.name().equals(member)))
                    .map(Timed::nanos)
                    .findFirst();
        }

        List<GossipEvent.UserEvent> userEvents(String name) {
            return events.stream().map(Timed::event)
                    .filter(e -> e instanceof GossipEvent.UserEvent u && u.name().equals(name))
                    .map(GossipEvent.UserEvent.class::cast)
                    .toList();
        }
    }

    /** A node name unique to this cluster. */
    String name(String shortName) {
        return prefix + shortName;
    }

    /** Creates (not starts) a node on 127.0.0.1, port 0, without seeds; tracked for {@link #close()}. */
    GossipNode create(String shortName, UnaryOperator<GossipConfig.Builder> customize) {
        GossipConfig config = customize.apply(GossipConfig.builder()
                .nodeName(name(shortName))
                .bindAddress("127.0.0.1").bindPort(0)
                .profile(profile)
                .retryJoin(false)).build();
        GossipNode node = GossipNode.create(config);
        nodes.add(node);
        if (recordEvents) {
            Recorder recorder = new Recorder();
            recorders.put(node.name(), recorder);
            node.addListener(e -> recorder.events.add(new Recorder.Timed(System.nanoTime(), e)));
        }
        return node;
    }

    GossipNode create(String shortName) {
        return create(shortName, b -> b);
    }

    /** Creates and starts a node (no seeds). */
    public GossipNode start(String shortName, UnaryOperator<GossipConfig.Builder> customize) {
        GossipNode node = create(shortName, customize);
        node.start();
        return node;
    }

    GossipNode start(String shortName) {
        return start(shortName, b -> b);
    }

    /**
     * Starts {@code n} nodes named {@code node-0} … {@code node-(n-1)}, each joining through
     * {@code node-0}, and waits until every node lists all of them alive.
     */
    List<GossipNode> startCluster(int n, UnaryOperator<GossipConfig.Builder> customize) {
        List<GossipNode> started = new ArrayList<>();
        GossipNode seed = start("node-0", customize);
        started.add(seed);
        for (int i = 1; i < n; i++) {
            GossipNode node = start("node-" + i, customize);
            joinOrFail(node, seed);
            started.add(node);
        }
        awaitConverged(started);
        return started;
    }

    List<GossipNode> startCluster(int n) {
        return startCluster(n, b -> b);
    }

    /** {@code host:port} to give as a seed. */
    public static String seed(GossipNode node) {
        return "127.0.0.1:" + node.localAddress().getPort();
    }

    /**
     * Joins through {@code seed}, retrying a few times: a join is one TCP exchange with a
     * deadline (1 s with the LOCAL profile), which a loaded machine may miss.
     */
    public static void joinOrFail(GossipNode node, GossipNode seed) {
        int contacted = 0;
        for (int attempt = 1; attempt <= 5 && contacted == 0; attempt++) {
            contacted = get(node.joinAsync(List.of(seed(seed))));
        }
        if (contacted == 0) {
            throw new AssertionError(node.name() + " could not join through " + seed.name());
        }
    }

    public static <T> T get(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    Recorder recorder(GossipNode node) {
        if (!recordEvents) {
            throw new IllegalStateException("This cluster was made not to record events");
        }
        return recorders.get(node.name());
    }

    /** Names of the members {@code observer} lists as alive. */
    public static Set<String> aliveNames(GossipNode observer) {
        return observer.members().stream()
                .filter(m -> m.status() == MemberStatus.ALIVE)
                .map(Member::name)
                .collect(Collectors.toSet());
    }

    static Set<String> names(Collection<GossipNode> nodes) {
        return nodes.stream().map(GossipNode::name).collect(Collectors.toSet());
    }

    /** Every node lists exactly these nodes as alive. */
    static boolean converged(Collection<GossipNode> nodes) {
        Set<String> expected = names(nodes);
        return nodes.stream().allMatch(n -> aliveNames(n).equals(expected));
    }

    /** Waits until every node lists exactly these nodes as alive; on timeout, shows who misses whom. */
    public static void awaitConverged(Collection<GossipNode> nodes) {
        Set<String> expected = names(nodes);
        Map<String, Set<String>> everyoneSeesAll = nodes.stream()
                .collect(Collectors.toMap(GossipNode::name, n -> expected));
        await("all of " + expected + " list each other alive")
                .atMost(CONVERGENCE).pollInterval(POLL)
                .untilAsserted(() -> assertThat(nodes.stream()
                                .collect(Collectors.toMap(GossipNode::name, LoopbackCluster::aliveNames)))
                        .as("alive members, by observer")
                        .isEqualTo(everyoneSeesAll));
    }

    static Optional<MemberStatus> statusSeenBy(GossipNode observer, String member) {
        return observer.member(member).map(Member::status);
    }

    /** Every observer lists {@code member} with this status. */
    static boolean allSee(Collection<GossipNode> observers, String member, MemberStatus status) {
        return observers.stream().allMatch(o -> statusSeenBy(o, member).orElse(null) == status);
    }

    /** Shuts every node down (each even if another fails), then checks their threads are gone. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (GossipNode node : nodes) {
            try {
                node.shutdown();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        nodes.clear();
        // Protocol threads are "gossip-<name>", Netty's "gossip-netty-<name>-…": both hold the prefix.
        await("threads of " + prefix + "* to end").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> lingeringThreads().isEmpty());
        if (failure != null) {
            throw failure;
        }
    }

    List<String> lingeringThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.contains("-" + prefix) || n.startsWith(prefix))
                .toList();
    }
}
