package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.DropReason;
import dev.gossip.core.Member;
import dev.gossip.core.Query;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.MsgWriter;
import dev.gossip.core.wire.QueryMessage;
import dev.gossip.core.wire.QueryResponseMessage;
import dev.gossip.core.wire.SerfMessageType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An attacker on the network answers queries it sees with hundreds of responses under invented
 * names: it must not out-vote the cluster in a name conflict, nor grow a query's response set
 * beyond the member count. Members it runs on one host vote once, and a conflict nobody answers
 * shuts nobody down.
 */
class QueryResponseFloodSimulationTest {

    private static final int FLOOD = 400;

    /** Sends raw packets from an address that is no member. */
    private static Transport attacker(SimCluster c, InetSocketAddress at) {
        return c.outsider(at, message -> null);
    }

    /** The first Serf query called {@code name} in a packet, or null. */
    private static QueryMessage queryIn(byte[] packet, String name) {
        for (byte[] m : SimCluster.messagesIn(packet)) {
            if ((m[0] & 0xff) == MessageType.USER && m.length > 1 && m[1] == SerfMessageType.QUERY) {
                try {
                    QueryMessage q = QueryMessage.decode(new MsgReader(m, 2, m.length - 2));
                    if (q.name().equals(name)) {
                        return q;
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
        return null;
    }

    private static byte[] userMessage(byte[] serfMessage) {
        byte[] out = new byte[serfMessage.length + 1];
        out[0] = (byte) MessageType.USER;
        System.arraycopy(serfMessage, 0, out, 1, serfMessage.length);
        return out;
    }

    /** Responds to {@code q} at its origin {@link #FLOOD} times, from names nobody knows. */
    private static void flood(Transport from, QueryMessage q, InetSocketAddress origin, byte[] payload) {
        for (int i = 0; i < FLOOD; i++) {
            byte[] resp = new QueryResponseMessage(q.ltime(), q.id(), "invented-" + i, 0, payload).encode();
            from.sendPacket(origin, userMessage(resp));
        }
    }

    @Test
    void forgedConflictVotesDoNotShutTheLegitimateNodeDown() {
        SimCluster c = new SimCluster(4041, Timings.lan());
        c.formCluster(5, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode victim = c.node(0);
        InetSocketAddress evil = SimCluster.address(99);
        Transport attacker = attacker(c, evil);
        // A vote for the impostor: "node-0 lives at the attacker's address".
        byte[] vote = new MsgWriter().rawByte(SerfMessageType.CONFLICT_RESPONSE).map(3)
                .str("Addr").raw(evil.getAddress().getAddress()).str("Name").str(victim.name)
                .str("Port").uint(evil.getPort()).toByteArray();
        boolean[] flooded = {false};
        c.tap = (from, to, packet) -> {
            if (!flooded[0] && from.equals(victim.address)) {
                QueryMessage q = queryIn(packet, "_serf_conflict");
                if (q != null) {
                    flooded[0] = true;
                    flood(attacker, q, victim.address, vote);
                }
            }
        };
        Member real = c.node(1).view(victim.name).orElseThrow();
        byte[] vsn = {(byte) real.protocolMin(), (byte) real.protocolMax(), (byte) real.protocolCur(),
                (byte) real.delegateMin(), (byte) real.delegateMax(), (byte) real.delegateCur()};
        byte[] impostor = new Alive(real.incarnation() + 10, victim.name, evil.getAddress().getAddress(),
                evil.getPort(), new byte[0], vsn).encode();
        attacker.sendPacket(victim.address, impostor);

        c.runFor(Duration.ofSeconds(20));

        assertThat(flooded[0]).as("the victim asked the cluster about the conflict").isTrue();
        assertThat(victim.node.isRunning()).as("the legitimate node stays up").isTrue();
        assertThat(victim.node.stats().drops().getOrDefault(DropReason.QUERY_RESPONSE_UNKNOWN_NODE, 0L))
                .isEqualTo(FLOOD);
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    /** "{@code name} lives at {@code at}": a conflict vote for whoever is at that address. */
    private static byte[] voteFor(String name, InetSocketAddress at) {
        return new MsgWriter().rawByte(SerfMessageType.CONFLICT_RESPONSE).map(3)
                .str("Addr").raw(at.getAddress().getAddress()).str("Name").str(name)
                .str("Port").uint(at.getPort()).toByteArray();
    }

    /** An alive claiming {@code victim}'s name at {@code at}, newer than what the cluster knows. */
    private static byte[] impostor(SimCluster c, SimNode victim, InetSocketAddress at) {
        Member real = c.node(1).view(victim.name).orElseThrow();
        byte[] vsn = {(byte) real.protocolMin(), (byte) real.protocolMax(), (byte) real.protocolCur(),
                (byte) real.delegateMin(), (byte) real.delegateMax(), (byte) real.delegateCur()};
        return new Alive(real.incarnation() + 10, victim.name, at.getAddress().getAddress(), at.getPort(),
                new byte[0], vsn).encode();
    }

    private static boolean carriesQueryResponse(byte[] packet) {
        return SimCluster.messagesIn(packet).stream().anyMatch(m -> (m[0] & 0xff) == MessageType.USER
                && m.length > 1 && m[1] == SerfMessageType.QUERY_RESPONSE);
    }

    @Test
    void sybilMembersOnOneHostVoteOnce() {
        int sybils = 8;
        SimCluster c = new SimCluster(4043, Timings.lan());
        c.formCluster(4, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode victim = c.node(0);
        // The attacker's host runs eight real members, so each is an alive member when asked.
        List<String> sybilNames = new ArrayList<>();
        for (int k = 0; k < sybils; k++) {
            SimNode s = c.addAt(10 + k, new InetSocketAddress("10.0.9.9", 8001 + k));
            s.node.joinAsync(List.of(SimCluster.seedOf(1)));
            sybilNames.add(s.name);
        }
        assertThat(c.runUntil(SimCluster::converged, Duration.ofSeconds(1), Duration.ofSeconds(60))).isTrue();
        InetSocketAddress evil = new InetSocketAddress("10.0.9.9", 9000);
        Transport attacker = attacker(c, evil);
        // The sybils' own (truthful) answers never leave their host; the attacker sends theirs.
        c.filter = (from, to, packet) -> from.getAddress().equals(evil.getAddress()) && carriesQueryResponse(packet);
        boolean[] voted = {false};
        c.tap = (from, to, packet) -> {
            if (!voted[0] && from.equals(victim.address)) {
                QueryMessage q = queryIn(packet, "_serf_conflict");
                if (q != null) {
                    voted[0] = true;
                    for (String sybil : sybilNames) {
                        byte[] resp = new QueryResponseMessage(q.ltime(), q.id(), sybil, 0,
                                voteFor(victim.name, evil)).encode();
                        attacker.sendPacket(victim.address, userMessage(resp));
                    }
                }
            }
        };
        attacker.sendPacket(victim.address, impostor(c, victim, evil));

        c.runFor(Duration.ofSeconds(20));

        assertThat(voted[0]).as("the victim asked the cluster about the conflict").isTrue();
        assertThat(victim.node.isRunning()).as("8 sybils on one host against 3 honest hosts: one vote").isTrue();
        assertThat(victim.node.stats().drops(DropReason.CONFLICT_VOTE_SAME_HOST)).isEqualTo(sybils - 1);
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    @Test
    void aConflictNobodyAnswersShutsNobodyDown() {
        SimCluster c = new SimCluster(4044, Timings.lan());
        c.formCluster(4, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode victim = c.node(0);
        InetSocketAddress evil = SimCluster.address(99);
        Transport attacker = attacker(c, evil);
        boolean[] asked = {false};
        c.tap = (from, to, packet) -> asked[0] |= from.equals(victim.address)
                && queryIn(packet, "_serf_conflict") != null;
        // As if a flood had filled the victim's queue: no answer ever reaches it.
        c.filter = (from, to, packet) -> to.equals(victim.address) && carriesQueryResponse(packet);
        attacker.sendPacket(victim.address, impostor(c, victim, evil));

        c.runFor(Duration.ofSeconds(20));

        assertThat(asked[0]).as("the victim asked the cluster about the conflict").isTrue();
        assertThat(victim.node.isRunning()).as("no answer is no verdict").isTrue();
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    @Test
    void queryResponsesNeverExceedTheMemberCount() {
        int n = 6;
        SimCluster c = new SimCluster(4042, Timings.lan());
        List<SimNode> nodes = c.formCluster(n, Duration.ofMillis(100), Duration.ofSeconds(30));
        for (SimNode x : nodes) {
            x.node.addListener(e -> {
                if (e instanceof Query q && q.name().equals("census")) {
                    q.respond(x.name.getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        SimNode asker = c.node(2);
        Transport attacker = attacker(c, SimCluster.address(99));
        boolean[] flooded = {false};
        c.tap = (from, to, packet) -> {
            if (!flooded[0] && from.equals(asker.address)) {
                QueryMessage q = queryIn(packet, "census");
                if (q != null) {
                    flooded[0] = true;
                    flood(attacker, q, asker.address, "me too".getBytes(StandardCharsets.UTF_8));
                }
            }
        };
        CompletableFuture<QueryHandle> f = asker.node.queryAsync("census", new byte[0], QueryParams.defaults());
        c.runFor(Duration.ofMillis(1));
        QueryHandle h = f.join();
        List<Integer> sizes = new ArrayList<>();
        h.onResponse(r -> sizes.add(h.responses().size()));
        c.runFor(Duration.ofSeconds(10));

        assertThat(flooded[0]).isTrue();
        assertThat(h.finished()).isCompleted();
        assertThat(h.responses()).hasSize(n)
                .allSatisfy(r -> assertThat(r.from()).startsWith("node-"));
        assertThat(sizes).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(n));
        assertThat(asker.node.stats().drops()).containsEntry(DropReason.QUERY_RESPONSE_UNKNOWN_NODE, (long) FLOOD);
    }
}
