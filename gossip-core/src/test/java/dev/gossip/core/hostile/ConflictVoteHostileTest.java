package dev.gossip.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipNode;
import dev.gossip.core.loopback.LoopbackCluster;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.MsgWriter;
import dev.gossip.core.wire.Ping;
import dev.gossip.core.wire.QueryMessage;
import dev.gossip.core.wire.QueryResponseMessage;
import dev.gossip.core.wire.SerfMessageType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Attack 4: a stranger claims the victim's name from its own address, which makes the victim ask
 * the cluster who owns the name ({@code _serf_conflict}, §7.10), and tries to make it lose the
 * vote. (a, b) To learn each query's Lamport time and ID it first slips in members of its own
 * (alives whose address is its socket, answering pings), which the victim gossips the query to;
 * it answers every conflict query it sees with responses that place the victim's name at the
 * stranger's address, under the peers' names or its members' and {@value #INVENTED_VOTERS}
 * invented ones. (c) It does not vote: it pings the victim so often that the acks, which carry
 * the victim's gossip, use up the query's few transmissions before the peers get it.
 */
class ConflictVoteHostileTest {

    private static final Duration DURATION = Duration.ofSeconds(8);
    /**
     * Forged alives claiming the victim's name, one every {@value #FORGE_EVERY_MILLIS} ms from the
     * start: each conflict query lasts 3.2 to 6.4 s here, so every verdict falls inside the attack.
     */
    private static final int FORGED_ALIVES = 2;
    private static final long FORGE_EVERY_MILLIS = 500;
    /** Names that are no member's, voting in every conflict query too. */
    private static final int INVENTED_VOTERS = 200;
    private static final int SYBILS = 16;
    /** Far more often than the table's probe (50/s), which passes what it is given on to the peers. */
    private static final double PINGS_PER_SECOND = 5_000;

    @AutoClose
    private final Arena arena = new Arena();

    @Test
    void votesUnderPeersAndInventedNames() throws Exception {
        Conflict c = new Conflict(List.of("eavesdropper"), arena.peers.stream().map(GossipNode::name).toList(), 0);
        attack(c, "4a", "conflict votes in peers' and invented names");
        // The votes in peers' names came from the stranger's address, not theirs: none counted.
        assertThat(arena.victim.stats().drops(DropReason.CONFLICT_VOTE_WRONG_SOURCE))
                .as("votes in peers' names dropped as sent from the wrong address").isPositive();
    }

    @Test
    void noVotesButAPingFlood() throws Exception {
        attack(new Conflict(List.of(), List.of(), PINGS_PER_SECOND), "4c", "name claim + ping flood, no votes");
    }

    @Test
    void votesFromSybilMembers() throws Exception {
        List<String> sybils = new ArrayList<>();
        for (int i = 0; i < SYBILS; i++) {
            sybils.add("sybil-" + i);
        }
        attack(new Conflict(sybils, sybils, 0), "4b", "conflict votes from " + SYBILS + " sybil members");
    }

    private void attack(Conflict c, String id, String name) throws Exception {
        Result r = arena.attack(id, name, DURATION, c::run);
        r.note("%d conflict queries overheard, %,d votes sent", c.queries.size(), c.votes.sum())
                .note("victim drops: %d not-a-voter, %d wrong-source, %d unknown-node",
                        arena.victim.stats().drops(DropReason.CONFLICT_VOTE_NOT_A_VOTER),
                        arena.victim.stats().drops(DropReason.CONFLICT_VOTE_WRONG_SOURCE),
                        arena.victim.stats().drops(DropReason.QUERY_RESPONSE_UNKNOWN_NODE))
                .note(c.shutDownAfterMillis < 0 ? "victim running" : "victim shut down %d ms into the attack",
                        c.shutDownAfterMillis)
                .report();
        SoftAssertions softly = r.commonTargets();
        if (!c.members.isEmpty()) {
            softly.assertThat(c.queries).as("%s: conflict queries the stranger saw (else it never voted)", name).isNotEmpty();
        }
        softly.assertThat(arena.victim.isRunning()).as("%s: victim not shut down by the vote", name).isTrue();
        softly.assertAll();
    }

    /** The stranger: its members, who it votes as, and what it saw. */
    private final class Conflict {
        private final List<String> members;
        private final List<String> voters;
        private final double pingsPerSecond;
        private final Set<String> queries = ConcurrentHashMap.newKeySet();
        private final LongAdder votes = new LongAdder();
        private volatile long shutDownAfterMillis = -1;
        private Attacker attacker;

        /**
         * @param members names it makes members at its own address (one is enough to overhear queries)
         * @param voters names it votes as, besides {@value #INVENTED_VOTERS} invented ones
         * @param pingsPerSecond how often it pings the victim (0: never)
         */
        Conflict(List<String> members, List<String> voters, double pingsPerSecond) {
            this.members = members;
            this.voters = voters;
            this.pingsPerSecond = pingsPerSecond;
        }

        void run(Attacker attacker, long deadline) throws Exception {
            this.attacker = attacker;
            InetSocketAddress home = attacker.udpAddress();
            attacker.onReceive(this::onPacket);
            for (String m : members) {
                attacker.send(arena.victimAddress(), Forgery.alive(m, home, 1));
            }
            long start = System.nanoTime();
            while (!LoopbackCluster.aliveNames(arena.victim).containsAll(members) && Attacker.before(deadline)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            if (pingsPerSecond > 0) {
                attacker.repeat("ping-flood", Long.MAX_VALUE, pingsPerSecond, deadline,
                        seq -> attacker.send(arena.victimAddress(), new Ping(seq, arena.victim.name(),
                                home.getAddress().getAddress(), home.getPort(), "stranger").encode()));
            }
            attacker.repeat("forge", FORGED_ALIVES, 1000.0 / FORGE_EVERY_MILLIS, deadline,
                    k -> attacker.send(arena.victimAddress(), Forgery.alive(arena.victim.name(), home, 1_000 + k)));
            while (Attacker.before(deadline)) {
                if (shutDownAfterMillis < 0 && !arena.victim.isRunning()) {
                    shutDownAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        /** Acks pings to its members (so they stay alive) and votes in every conflict query it overhears. */
        private void onPacket(byte[] packet, InetSocketAddress from) {
            for (byte[] msg : Datagrams.messages(packet, null)) {
                try {
                    int type = msg[0] & 0xff;
                    if (type == MessageType.PING) {
                        Ping p = Ping.decode(Datagrams.body(msg));
                        if (members.contains(p.node())) {
                            attacker.send(replyTo(from, p), new Ack(p.seqNo(), null).encode());
                        }
                    } else if (type == MessageType.USER && msg.length > 1 && msg[1] == SerfMessageType.QUERY) {
                        QueryMessage q = QueryMessage.decode(new MsgReader(msg, 2, msg.length - 2));
                        if (q.name().equals("_serf_conflict") && queries.add(q.ltime() + "/" + q.id())) {
                            vote(q);
                        }
                    }
                } catch (MalformedMessageException | UnknownHostException e) {
                    // not something to answer
                }
            }
        }

        private void vote(QueryMessage q) throws UnknownHostException {
            if (voters.isEmpty()) {
                return;
            }
            InetSocketAddress origin = new InetSocketAddress(InetAddress.getByAddress(q.addr()), q.port());
            byte[] claim = claim(arena.victim.name(), attacker.udpAddress());
            List<String> all = new ArrayList<>(voters);
            for (int i = 0; i < INVENTED_VOTERS; i++) {
                all.add("invented-" + i);
            }
            for (String from : all) {
                attacker.send(origin, Forgery.user(new QueryResponseMessage(q.ltime(), q.id(), from, 0, claim).encode()));
                votes.increment();
            }
        }

        private static InetSocketAddress replyTo(InetSocketAddress from, Ping p) throws UnknownHostException {
            return p.sourceAddr() != null && p.sourcePort() > 0
                    ? new InetSocketAddress(InetAddress.getByAddress(p.sourceAddr()), p.sourcePort()) : from;
        }
    }

    /** A conflict response (§7.9) saying {@code name} is the member at {@code at}. */
    static byte[] claim(String name, InetSocketAddress at) {
        return new MsgWriter().rawByte(SerfMessageType.CONFLICT_RESPONSE).map(11)
                .str("Addr").raw(at.getAddress().getAddress())
                .str("DelegateCur").uint(5).str("DelegateMax").uint(5).str("DelegateMin").uint(2)
                .str("Name").str(name).str("Port").uint(at.getPort())
                .str("ProtocolCur").uint(2).str("ProtocolMax").uint(5).str("ProtocolMin").uint(1)
                .str("Status").uint(1).str("Tags").stringMap(Map.of()).toByteArray();
    }
}
