package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.Ping;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A live node that merely looks dead must never be declared failed (SWIM indirect probes,
 * Lifeguard refutation and the buddy system), and the episode must show in its incarnation and
 * awareness.
 */
class FalseSuspicionSimulationTest {

    @Test
    void oneWayLossToOneProberDoesNotEvenCauseASuspicion() {
        SimCluster c = new SimCluster(44, Timings.lan());
        c.formCluster(8, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode a = c.node(0);
        SimNode b = c.node(5);
        long incBefore = b.node.localMember().orElseThrow().incarnation();

        // Everything b sends to a vanishes: a's direct pings of b get no ack, and a TCP ping
        // cannot connect. The indirect probes through other members still reach b, so a must
        // not suspect it.
        c.network.partitionOneWay(b.address, a.address);
        int[] suspectedAtA = {0};
        c.runUntil(s -> {
            if (a.view(b.name).map(Member::suspect).orElse(false)) {
                suspectedAtA[0]++;
            }
            return false;
        }, Duration.ofMillis(100), Duration.ofSeconds(30));
        c.network.heal();
        c.runFor(Duration.ofSeconds(5));

        long incAfter = b.node.localMember().orElseThrow().incarnation();
        System.out.printf("[sim] one-way loss %s->%s for 30 s: %s suspected by %s in %d of 300 checks,"
                        + " incarnation %d -> %d%n", b, a, b, a, suspectedAtA[0], incBefore, incAfter);
        assertThat(suspectedAtA[0]).as("checks in which %s saw %s suspect", a, b).isZero();
        assertThat(incAfter).as("%s never had to refute", b).isEqualTo(incBefore);
        assertThat(c.countEverywhere("member-failed")).isZero();
        assertThat(c.converged()).isTrue();
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    @Test
    void nodeThatLooksDeadToOneProberRefutesThroughTheBuddySystem() {
        SimCluster c = new SimCluster(45, Timings.lan());
        c.formCluster(8, Duration.ofMillis(100), Duration.ofSeconds(30));
        c.runFor(Duration.ofSeconds(5));
        SimNode a = c.node(0);
        SimNode b = c.node(3);
        List<SimNode> others = c.live().stream().filter(s -> s != b).toList();
        long incBefore = b.node.localMember().orElseThrow().incarnation();

        // What is on the wire: a's probes of b (their sequence numbers), pings to b that carry
        // "suspect b" (the buddy system), the highest incarnation b announced.
        Set<Long> probesOfB = new HashSet<>();
        int[] buddyPings = {0};
        Set<Long> suspicionsByA = new HashSet<>(); // the incarnations a accused
        long[] maxIncOfB = {incBefore};
        c.tap = (from, to, packet) -> {
            for (byte[] msg : SimCluster.messagesIn(packet)) {
                MsgReader r = new MsgReader(msg, 1, msg.length - 1);
                try {
                    switch (msg[0] & 0xff) {
                        case MessageType.PING -> {
                            Ping p = Ping.decode(r);
                            if (from.equals(a.address) && p.node().equals(b.name)) {
                                probesOfB.add(p.seqNo());
                            }
                        }
                        case MessageType.SUSPECT -> {
                            Accusation s = Accusation.decode(MessageType.SUSPECT, r);
                            if (from.equals(a.address) && s.node().equals(b.name) && s.from().equals(a.name)) {
                                suspicionsByA.add(s.incarnation());
                            }
                        }
                        case MessageType.ALIVE -> {
                            Alive al = Alive.decode(r);
                            if (al.node().equals(b.name)) {
                                maxIncOfB[0] = Math.max(maxIncOfB[0], al.incarnation());
                            }
                        }
                        default -> { }
                    }
                } catch (MalformedMessageException e) {
                    throw new AssertionError(e);
                }
            }
            if (to.equals(b.address) && carriesPingAndSuspectOf(packet, b.name)) {
                buddyPings[0]++;
            }
        };
        // b looks dead to a only: every ack that answers a's probe of b vanishes, whether b sent
        // it or a helper relayed it (indirect probe), and b cannot reach a at all (which also
        // defeats a's TCP fallback ping). Everyone else talks to b normally.
        c.network.partitionOneWay(b.address, a.address);
        c.filter = (from, to, packet) -> {
            List<byte[]> msgs = SimCluster.messagesIn(packet);
            if (to.equals(a.address)) {
                for (byte[] msg : msgs) {
                    if ((msg[0] & 0xff) == MessageType.ACK && probesOfB.contains(seqOf(msg))) {
                        return true;
                    }
                }
            }
            // b may learn that it is suspected only from a probe: the buddy system. Gossip that
            // carries "suspect b" without a ping is lost on the way to b, and b does no push/pull.
            return to.equals(b.address) && carriesSuspectOf(packet, b.name) && !carriesPingAndSuspectOf(packet, b.name);
        };
        c.streamFilter = (from, to) -> from.equals(b.address) || to.equals(b.address);

        long start = c.time.now();
        int[] checksSuspectAtA = {0};
        int[] maxAwarenessA = {a.node.awarenessScore()};
        int[] maxAwarenessB = {b.node.awarenessScore()};
        c.runUntil(s -> {
            if (a.view(b.name).map(Member::suspect).orElse(false)) {
                checksSuspectAtA[0]++;
            }
            maxAwarenessA[0] = Math.max(maxAwarenessA[0], a.node.awarenessScore());
            maxAwarenessB[0] = Math.max(maxAwarenessB[0], b.node.awarenessScore());
            return false;
        }, Duration.ofMillis(50), Duration.ofSeconds(40));
        c.filter = null;
        c.streamFilter = null;
        c.network.heal();
        assertThat(c.runUntil(s -> others.stream().allMatch(o -> o.view(b.name)
                .map(m -> !m.suspect() && m.status() == MemberStatus.ALIVE).orElse(false)),
                Duration.ofMillis(50), Duration.ofSeconds(10))).as("everyone sees %s alive, unsuspected", b).isTrue();
        c.runFor(Duration.ofSeconds(60)); // and no late death
        long incAfter = b.node.localMember().orElseThrow().incarnation();

        System.out.printf("[sim] %s looked dead to %s for 40 s: %s suspected it %d times (suspect during %.1f s of"
                        + " 40 s), buddy pings to %s: %d, %s refuted up to incarnation %d (view %d -> %d),"
                        + " awareness max %s=%d %s=%d, member-failed events: %d%n", b, a, a,
                suspicionsByA.size(), checksSuspectAtA[0] * 0.05, b, buddyPings[0], b, maxIncOfB[0], incBefore, incAfter, a,
                maxAwarenessA[0], b, maxAwarenessB[0], c.countEverywhere("member-failed"));
        assertThat(suspicionsByA).as("%s suspected %s", a, b).isNotEmpty();
        assertThat(buddyPings[0]).as("pings to %s carrying 'suspect %s'", b, b).isPositive();
        assertThat(maxIncOfB[0]).as("%s refuted with a higher incarnation", b).isGreaterThan(incBefore);
        assertThat(incAfter).as("the cluster's view of %s's incarnation", b).isEqualTo(maxIncOfB[0]);
        assertThat(maxAwarenessB[0]).as("refuting raised %s's awareness", b).isPositive();
        assertThat(c.countEverywhere("member-failed")).as("member-failed events anywhere").isZero();
        for (SimNode o : others) {
            Member seen = o.view(b.name).orElseThrow();
            assertThat(seen.status()).isEqualTo(MemberStatus.ALIVE);
            assertThat(seen.incarnation()).as("%s's view of %s", o, b).isEqualTo(incAfter);
        }
        assertThat(c.converged()).isTrue();
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    private static long seqOf(byte[] ack) {
        try {
            return Ack.decode(new MsgReader(ack, 1, ack.length - 1)).seqNo();
        } catch (MalformedMessageException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether the packet holds a suspect message about {@code node}. */
    static boolean carriesSuspectOf(byte[] packet, String node) {
        for (byte[] msg : SimCluster.messagesIn(packet)) {
            if ((msg[0] & 0xff) == MessageType.SUSPECT) {
                try {
                    if (Accusation.decode(MessageType.SUSPECT, new MsgReader(msg, 1, msg.length - 1)).node().equals(node)) {
                        return true;
                    }
                } catch (MalformedMessageException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return false;
    }

    /** Whether the packet holds a ping and, beside it, a suspect message about {@code node}. */
    static boolean carriesPingAndSuspectOf(byte[] packet, String node) {
        boolean ping = false;
        boolean suspect = false;
        for (byte[] msg : SimCluster.messagesIn(packet)) {
            int type = msg[0] & 0xff;
            if (type == MessageType.PING) {
                ping = true;
            } else if (type == MessageType.SUSPECT) {
                try {
                    suspect |= Accusation.decode(type, new MsgReader(msg, 1, msg.length - 1)).node().equals(node);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
        return ping && suspect;
    }

}
