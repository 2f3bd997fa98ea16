package dev.gossip.core.loopback;

import static dev.gossip.core.loopback.LoopbackCluster.POLL;
import static dev.gossip.core.loopback.LoopbackCluster.TIMEOUT;
import static dev.gossip.core.loopback.LoopbackCluster.aliveNames;
import static dev.gossip.core.loopback.LoopbackCluster.allSee;
import static dev.gossip.core.loopback.LoopbackCluster.get;
import static dev.gossip.core.loopback.LoopbackCluster.joinOrFail;
import static dev.gossip.core.loopback.LoopbackCluster.names;
import static dev.gossip.core.loopback.LoopbackCluster.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipEvent.MemberEventType;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Profile;
import dev.gossip.core.Query;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import dev.gossip.core.security.Encryption;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.transport.TransportException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whole nodes over real sockets: Netty UDP + TCP on 127.0.0.1, one protocol thread per node, all
 * in this JVM. What the simulation tests prove in virtual time, checked once on the real stack.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LoopbackClusterTest {

    /**
     * The default profile (memberlist's DefaultLANConfig: 200 ms gossip, 1 s probes). LOCAL gossips
     * faster but retransmits each broadcast only 2 × ceil(log10(N+1)) times, so in a young cluster
     * a node now and then misses a join and learns it from push/pull seconds later (seen here:
     * convergence of 10 nodes in 3–14 s instead of ~0.2 s), which is protocol, not a fault.
     */
    private static final Profile PROFILE = Profile.LAN;
    private static final int N = 10;

    private LoopbackCluster cluster;

    @BeforeEach
    void setUp() {
        cluster = new LoopbackCluster(PROFILE);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void tenNodesJoinThroughOneSeedAndAJoinReachesEveryNodeQuickly() {
        // Nine nodes first, all through node-0; each round a 10th joins, is timed, then leaves.
        List<GossipNode> nine = cluster.startCluster(N - 1);
        GossipNode seed = nine.get(0);
        List<Long> millis = new ArrayList<>();
        int rounds = 5;
        for (int round = 0; round < rounds; round++) {
            GossipNode tenth = cluster.start("joiner-" + round);
            List<GossipNode> ten = new ArrayList<>(nine);
            ten.add(tenth);

            long t0 = System.nanoTime();
            int contacted = get(tenth.joinAsync(List.of(seed(seed))));
            assertThat(contacted).as("seeds that answered %s", tenth.name()).isEqualTo(1);
            LoopbackCluster.awaitConverged(ten);
            // Each of the nine first listed the joiner when its listener got member-join; the
            // joiner lists itself from the start.
            long reachedAll = nine.stream()
                    .mapToLong(n -> cluster.recorder(n).firstNanos(MemberEventType.JOIN, tenth.name())
                            .orElseThrow())
                    .max().orElseThrow();
            long ms = TimeUnit.NANOSECONDS.toMillis(reachedAll - t0);
            millis.add(ms);
            System.out.printf("join reached all %d nodes over loopback in %d ms (%s, round %d)%n",
                    N, ms, PROFILE, round + 1);
            assertThat(ten).allSatisfy(n -> assertThat(aliveNames(n)).hasSize(N));

            get(tenth.leave());
            tenth.shutdown();
            await(tenth.name() + " left on every node").atMost(LoopbackCluster.CONVERGENCE).pollInterval(POLL)
                    .until(() -> allSee(nine, tenth.name(), MemberStatus.LEFT));
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("join reached all %d nodes over loopback: median %d ms of %s (%s profile)%n",
                N, sorted.get(sorted.size() / 2), millis, PROFILE);
    }

    @Test
    void tagUpdateReachesEveryNodeAsMemberUpdate() {
        List<GossipNode> nodes = cluster.startCluster(N);
        GossipNode three = nodes.get(3);
        Map<String, String> newTags = Map.of("role", "web", "version", "2");

        three.setTags(newTags);

        List<GossipNode> others = nodes.stream().filter(n -> n != three).toList();
        await("every node sees the new tags of " + three.name()).atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> others.stream().allMatch(o ->
                        o.member(three.name()).map(Member::tags).orElse(Map.of()).equals(newTags)));
        await("every node got member-update").atMost(TIMEOUT).pollInterval(POLL)
                .untilAsserted(() -> assertThat(others).allSatisfy(o -> assertThat(
                        cluster.recorder(o).memberEvents(MemberEventType.UPDATE, three.name()))
                        .as("member-update events on %s", o.name())
                        .anySatisfy(e -> assertThat(e.members()).singleElement()
                                .satisfies(m -> assertThat(m.tags()).isEqualTo(newTags)))));
        assertThat(three.tags()).isEqualTo(newTags);
        // As in Serf, the node's own member entry changes too, with a member-update of its own.
        await("own member entry updated").atMost(TIMEOUT).pollInterval(POLL)
                .untilAsserted(() -> {
                    assertThat(three.localMember()).map(Member::tags).contains(newTags);
                    assertThat(cluster.recorder(three).memberEvents(MemberEventType.UPDATE, three.name()))
                            .isNotEmpty();
                });
    }

    @Test
    void nodeShutDownWithoutLeavingIsFailedEverywhere() {
        List<GossipNode> nodes = cluster.startCluster(5);
        GossipNode victim = nodes.get(2);
        List<GossipNode> others = nodes.stream().filter(n -> n != victim).toList();

        long t0 = System.nanoTime();
        victim.shutdown();

        await(victim.name() + " failed on every node").atMost(Duration.ofSeconds(40)).pollInterval(POLL)
                .until(() -> allSee(others, victim.name(), MemberStatus.FAILED));
        long detected = others.stream()
                .mapToLong(o -> cluster.recorder(o).firstNanos(MemberEventType.FAILED, victim.name())
                        .orElseThrow())
                .max().orElseThrow();
        long first = others.stream()
                .mapToLong(o -> cluster.recorder(o).firstNanos(MemberEventType.FAILED, victim.name())
                        .orElseThrow())
                .min().orElseThrow();
        System.out.printf("failure of 1 of 5 nodes detected over loopback: first node after %d ms, "
                        + "all nodes after %d ms (%s profile)%n",
                TimeUnit.NANOSECONDS.toMillis(first - t0), TimeUnit.NANOSECONDS.toMillis(detected - t0),
                PROFILE);
        assertThat(others).allSatisfy(o -> assertThat(
                cluster.recorder(o).memberEvents(MemberEventType.LEAVE, victim.name())).isEmpty());
        assertThat(others).allSatisfy(o -> assertThat(aliveNames(o))
                .isEqualTo(names(others)));
    }

    @Test
    void nodeThatLeavesThenShutsDownIsLeftEverywhere() {
        List<GossipNode> nodes = cluster.startCluster(5);
        GossipNode leaver = nodes.get(2);
        List<GossipNode> others = nodes.stream().filter(n -> n != leaver).toList();

        get(leaver.leave());
        leaver.shutdown();

        await(leaver.name() + " left on every node").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> allSee(others, leaver.name(), MemberStatus.LEFT));
        assertThat(others).allSatisfy(o -> assertThat(
                cluster.recorder(o).memberEvents(MemberEventType.LEAVE, leaver.name()))
                .as("member-leave on %s", o.name()).hasSize(1));
        // As in Serf, a node that hears memberlist's "dead, from itself" before the leave intent
        // reports member-failed first, then member-leave once the intent arrives. Not an error.
        long failedFirst = others.stream().filter(o -> !cluster.recorder(o)
                .memberEvents(MemberEventType.FAILED, leaver.name()).isEmpty()).count();
        System.out.printf("graceful leave: %d of %d nodes saw member-failed before member-leave%n",
                failedFirst, others.size());
    }

    @Test
    void aNodeThatLeftAndStoppedStartsAgainAndIsAliveEverywhereWithItsLatestTags() {
        List<GossipNode> nodes = cluster.startCluster(3);
        GossipNode restarter = nodes.get(2);
        List<GossipNode> others = nodes.subList(0, 2);
        restarter.setTags(Map.of("role", "v2"));
        await("tags seen").atMost(TIMEOUT).pollInterval(POLL).until(() -> others.stream().allMatch(o ->
                o.member(restarter.name()).map(m -> "v2".equals(m.tags().get("role"))).orElse(false)));
        int oldPort = restarter.localAddress().getPort();

        get(restarter.leave());
        restarter.shutdown();
        await("left everywhere").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> allSee(others, restarter.name(), MemberStatus.LEFT));
        assertThat(restarter.isRunning()).isFalse();

        long t0 = System.nanoTime();
        get(restarter.start());
        assertThat(restarter.isRunning()).isTrue();
        joinOrFail(restarter, nodes.get(0));
        await("alive again everywhere").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> allSee(others, restarter.name(), MemberStatus.ALIVE));
        System.out.printf("restart: alive again on every node %d ms after start (port %d -> %d)%n",
                (System.nanoTime() - t0) / 1_000_000, oldPort, restarter.localAddress().getPort());
        assertThat(others).allSatisfy(o -> {
            Member m = o.member(restarter.name()).orElseThrow();
            assertThat(m.port()).isEqualTo(restarter.localAddress().getPort());
            assertThat(m.tags()).containsEntry("role", "v2");
        });
        assertThat(aliveNames(restarter)).isEqualTo(names(nodes));
    }

    @Test
    void userEventReachesEveryListenerExactlyOnce() {
        List<GossipNode> nodes = cluster.startCluster(N);
        byte[] payload = "v1.2.3".getBytes(StandardCharsets.UTF_8);

        nodes.get(7).sendUserEvent("deploy", payload, false);

        await("every node got the user event").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> nodes.stream().allMatch(n -> !cluster.recorder(n).userEvents("deploy").isEmpty()));
        // Once the broadcasts have been retransmitted their last time, nothing can deliver it again
        // except push/pull, which de-duplicates the same way.
        await("broadcast queues drained").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> nodes.stream().allMatch(n -> n.queueDepth() == 0));
        assertThat(nodes).allSatisfy(n -> assertThat(cluster.recorder(n).userEvents("deploy"))
                .as("user events on %s", n.name())
                .singleElement()
                .satisfies(e -> assertThat(e.payload()).isEqualTo(payload)));
    }

    @Test
    void queryIsAckedAndAnsweredByEveryNode() {
        List<GossipNode> nodes = cluster.startCluster(N);
        Map<String, Integer> received = new ConcurrentHashMap<>();
        for (GossipNode n : nodes) {
            n.addListener(e -> {
                if (e instanceof Query q && q.name().equals("whoami")) {
                    received.merge(n.name(), 1, Integer::sum);
                    q.respond(("I am " + n.name()).getBytes(StandardCharsets.UTF_8));
                }
            });
        }

        long t0 = System.nanoTime();
        QueryHandle handle = nodes.get(4).query("whoami", "?".getBytes(StandardCharsets.UTF_8),
                QueryParams.defaults().withAck().withTimeout(Duration.ofSeconds(10)));

        Set<String> all = names(nodes);
        await("acks from every node").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> Set.copyOf(handle.acks()).equals(all));
        long acked = System.nanoTime();
        await("responses from every node").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> handle.responses().stream().map(QueryHandle.Response::from)
                        .collect(Collectors.toSet()).equals(all));
        long answered = System.nanoTime();
        System.out.printf("query over loopback: acked by all %d nodes in %d ms, answered in %d ms%n", N,
                TimeUnit.NANOSECONDS.toMillis(acked - t0), TimeUnit.NANOSECONDS.toMillis(answered - t0));
        await("broadcast queues drained").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> nodes.stream().allMatch(n -> n.queueDepth() == 0));
        assertThat(handle.acks()).hasSize(N);
        assertThat(handle.responses()).hasSize(N).allSatisfy(r ->
                assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("I am " + r.from()));
        assertThat(received).containsOnlyKeys(all).allSatisfy((node, times) ->
                assertThat(times).as("query deliveries on %s", node).isEqualTo(1));
    }

    @Test
    void encryptedClusterConvergesAndANodeWithTheWrongKeyCannotJoin() {
        Keyring ring = Keyring.of(key(1));
        List<GossipNode> nodes = cluster.startCluster(3, b -> b.keyring(ring));
        assertThat(nodes).allSatisfy(n -> assertThat(n.stats().drops()).doesNotContainKey(Encryption.REASON));

        GossipNode intruder = cluster.start("intruder", b -> b.keyring(Keyring.of(key(2))));
        int contacted = get(intruder.joinAsync(nodes.stream().map(LoopbackCluster::seed).toList()));

        assertThat(contacted).as("seeds that accepted a node with the wrong key").isZero();
        // Each seed got one push/pull it could not decrypt (and the intruder their encrypted errors).
        await("decrypt drops on every node").atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> nodes.stream().allMatch(n -> n.stats().drops().getOrDefault(Encryption.REASON, 0L) > 0));
        assertThat(intruder.stats().drops()).containsKey(Encryption.REASON);
        assertThat(nodes).allSatisfy(n -> assertThat(n.member(intruder.name())).isEmpty());
        assertThat(aliveNames(intruder)).containsExactly(intruder.name());
        // And the cluster is unharmed.
        assertThat(LoopbackCluster.converged(nodes)).isTrue();
    }

    @Test
    void bindingAPortAnotherNodeHoldsFailsWithAMessageSayingWhatToChange() {
        GossipNode first = cluster.start("first");
        int port = first.localAddress().getPort();
        GossipNode second = cluster.create("second", b -> b.bindPort(port));

        Throwable thrown = catchThrowable(second::start);

        assertThat(thrown)
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("already in use")
                .hasMessageContaining("bind port");
        System.out.println("occupied port: " + thrown.getMessage());
        assertThat(second.isRunning()).isFalse();
        assertThat(first.isRunning()).isTrue();
        // The failed start released its protocol thread; nobody has to call shutdown().
        await().atMost(TIMEOUT).pollInterval(POLL)
                .until(() -> threadsNamed("gossip-" + second.name()).isEmpty());
    }

    @Test
    void bindingAPortWhoseUdpSideIsTakenNamesUdp() throws Exception {
        // The OS picks the UDP port; its TCP twin may by chance be some other socket's ephemeral
        // port at that moment (the start then fails on TCP first): pick again.
        for (int attempt = 1; ; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int port = udp.getLocalPort();
                GossipNode node = cluster.create("udp-clash-" + attempt, b -> b.bindPort(port));
                Throwable failure = catchThrowable(node::start);
                if (attempt < 5 && failure != null && failure.getMessage().contains("(TCP)")) {
                    continue;
                }
                assertThat(failure)
                        .isInstanceOf(TransportException.class)
                        .hasMessageContaining("127.0.0.1:" + port)
                        .hasMessageContaining("UDP")
                        .hasMessageContaining("bind port");
                return;
            }
        }
    }

    private static List<String> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(name))
                .map(Thread::getName)
                .toList();
    }

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        IntStream.range(0, k.length).forEach(i -> k[i] = (byte) (seed * 31 + i));
        return k;
    }
}
