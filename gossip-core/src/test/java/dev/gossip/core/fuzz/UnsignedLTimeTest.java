package dev.gossip.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.wire.LeaveIntent;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.UserEventMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lamport times of 2^63 and more (a uint64 in serf; negative as a Java long) arriving from the
 * network are ordered after small ones, as serf orders them.
 */
class UnsignedLTimeTest {

    private static final long BIG = Long.MIN_VALUE + 5; // 2^63 + 5

    private static byte[] userMessage(byte[] serfMessage) {
        byte[] out = new byte[serfMessage.length + 1];
        out[0] = (byte) MessageType.USER;
        System.arraycopy(serfMessage, 0, out, 1, serfMessage.length);
        return out;
    }

    @Test
    void aUserEventAt2To63IsDeliveredAfterASmallOneAndMakesOldOnesTooOld() {
        FuzzCluster c = new FuzzCluster(3);
        c.start(2);
        GossipNode victim = c.nodes.get(0);
        List<Long> delivered = new ArrayList<>();
        victim.addListener(e -> {
            if (e instanceof GossipEvent.UserEvent u) {
                delivered.add(u.ltime());
            }
        });

        send(c, new UserEventMessage(5, "small", new byte[0], false).encode());
        send(c, new UserEventMessage(BIG, "big", new byte[0], false).encode());
        // serf.go:handleUserEvent: the clock witnessed 2^63+5, so 6 < now - 512 is too old.
        send(c, new UserEventMessage(6, "stale", new byte[0], false).encode());

        assertThat(delivered).containsExactly(5L, BIG);
    }

    @Test
    void aLeaveIntentAt2To63BeatsTheJoinStatusAndIsRefutedWithALaterJoin() {
        FuzzCluster c = new FuzzCluster(4);
        // Gossiped at once, the leave would reach the member, and its refutation come back,
        // within the 20 ms that delivering it takes here: the next gossip round is later.
        c.timings = Timings.lan().toBuilder().eagerGossipDepth(0).build();
        c.start(2);
        GossipNode victim = c.nodes.get(0);
        String other = FuzzCluster.name(1);

        // serf.go:handleNodeLeaveIntent: 2^63+5 > the member's small status time, so it is leaving.
        send(c, new LeaveIntent(BIG, other, false).encode());
        assertThat(victim.member(other).map(Member::status)).contains(MemberStatus.LEAVING);

        // The member hears the leave, refutes with a join at its clock, now past 2^63+5; the
        // victim orders that join after the leave (handleNodeJoinIntent) and shows it alive again.
        c.time.runUntil(() -> victim.member(other).map(Member::status).orElse(null) == MemberStatus.ALIVE,
                Duration.ofMillis(50).toNanos(), Duration.ofSeconds(10).toNanos());
        assertThat(victim.member(other).map(Member::status)).contains(MemberStatus.ALIVE);
    }

    private static void send(FuzzCluster c, byte[] serfMessage) {
        c.attacker.sendPacket(FuzzCluster.address(0), userMessage(serfMessage));
        c.runFor(Duration.ofMillis(20));
    }
}
