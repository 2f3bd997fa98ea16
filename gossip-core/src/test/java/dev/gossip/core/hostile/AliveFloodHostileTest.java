package dev.gossip.core.hostile;

import dev.gossip.core.DropReason;
import dev.gossip.core.Timings;
import dev.gossip.core.wire.Packets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Attack 3: a stranger makes up members in a cluster without encryption. (a) It floods the victim
 * with valid alive messages, each for a new name, one per datagram, at a steady rate; the names
 * point at its own socket, which swallows whatever the cluster then sends them. (b) It sends one
 * push/pull (LZW-compressed, as serf sends it) listing {@value #PUSHED_NODES} invented nodes.
 * Every node keeps at most {@value #MEMBER_LIMIT} members (Timings.maxMembers, lowered from its
 * default 10,000 so the bound shows within the attack): the heap stops growing there.
 */
class AliveFloodHostileTest {

    private static final int ALIVES = 30_000;
    private static final double PER_SECOND = 5_000;
    private static final Duration DURATION = Duration.ofSeconds(6);
    private static final int PUSHED_NODES = 100_000;
    private static final Duration PUSH_DURATION = Duration.ofSeconds(5);

    private static final int MEMBER_LIMIT = 1_000;
    /**
     * What {@value #MEMBER_LIMIT} invented members may cost the JVM (victim and peers, each of which
     * may learn them too): measured +2.2 to +2.5 MB; without the limit +20 MB (3a) and +58 MB (3b).
     */
    private static final double HEAP_BOUND_MB = Result.HEAP_BOUND_MB + 3;

    @AutoClose
    private final Arena arena = new Arena(null, Timings.lan().toBuilder().maxMembers(MEMBER_LIMIT).build());

    @Test
    void aliveFloodOfNewNames() throws Exception {
        int before = arena.victimMembers();
        LongAdder toGhosts = new LongAdder();
        Result r = arena.attack("3a", "UDP flood of alives, new names", DURATION, (attacker, deadline) -> {
            InetSocketAddress ghosts = attacker.udpAddress();
            attacker.onReceive((packet, from) -> toGhosts.increment());
            attacker.repeat("alive-flood", ALIVES, PER_SECOND, deadline,
                    i -> attacker.send(arena.victimAddress(), Forgery.alive("ghost-" + i, ghosts, 1)));
        });
        r.note("%,d alives at %,.0f/s", ALIVES, PER_SECOND)
                .note("member-limit drops %,d", arena.victim.stats().drops(DropReason.MEMBER_LIMIT))
                .note("victim members %d → %,d, a peer up to %,d", before, arena.victimMembers(), arena.mostMembersAtAPeer())
                .note("%,d packets to the ghosts", toGhosts.sum())
                .note("victim drops handoff-queue-full %,d",
                        arena.victim.stats().drops(DropReason.HANDOFF_QUEUE_FULL))
                .report();
        limited(r);
    }

    @Test
    void pushPullOfNewNodes() throws Exception {
        int before = arena.victimMembers();
        byte[] pushPull = Packets.compress(Forgery.pushPull(PUSHED_NODES));
        long[] reply = new long[1];
        Result r = arena.attack("3b", "one push/pull of 100,000 new nodes", PUSH_DURATION, (attacker, deadline) ->
                attacker.spawn("push-pull", () -> reply[0] = attacker.exchange(arena.victimAddress(), pushPull, deadline)));
        r.note("%,d B compressed, victim answered %,d B", pushPull.length, reply[0])
                .note("member-limit drops %,d", arena.victim.stats().drops(DropReason.MEMBER_LIMIT))
                .note("victim members %d → %,d, a peer up to %,d", before, arena.victimMembers(), arena.mostMembersAtAPeer())
                .report();
        limited(r);
    }

    /** The common targets with this attack's heap bound, and the member list at its limit. */
    private void limited(Result r) {
        SoftAssertions softly = r.commonTargets(HEAP_BOUND_MB);
        softly.assertThat(arena.victimMembers()).as("%s: victim members", r.attack).isLessThanOrEqualTo(MEMBER_LIMIT);
        softly.assertThat(arena.victim.stats().drops(DropReason.MEMBER_LIMIT)).as("%s: member-limit drops", r.attack)
                .isPositive();
        softly.assertAll();
    }
}
