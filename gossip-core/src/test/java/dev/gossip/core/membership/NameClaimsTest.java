package dev.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Timings;
import dev.gossip.core.sim.VirtualTime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What a node does when its name shows up at another address (see {@link NameClaims}). */
class NameClaimsTest {

    private static final InetSocketAddress EARLIER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7001);
    private static final InetSocketAddress OTHER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7002);

    private final VirtualTime time = new VirtualTime();
    private final Timings timings = Timings.lan();
    private final List<String> actions = new ArrayList<>();
    private boolean answers;
    private long incarnation = 1;

    private final NameClaims claims = new NameClaims("self", timings, time.newScheduler(), () -> false,
            new NameClaims.Actions() {
                @Override
                public void ping(InetSocketAddress at, Consumer<Boolean> answered) {
                    actions.add("ping " + at.getPort());
                    time.newScheduler().schedule(timings.probeTimeout().toNanos() * NameClaims.PINGS,
                            () -> answered.accept(answers));
                }

                @Override
                public void announceLeft(long inc) {
                    actions.add("left@" + inc);
                }

                @Override
                public void refute(long inc) {
                    incarnation = Math.max(incarnation, inc) + 1;
                    actions.add("refute " + incarnation);
                }

                @Override
                public long incarnation() {
                    return incarnation;
                }

                @Override
                public void conflict(NodeState claimant) {
                    actions.add("conflict " + claimant.port);
                }
            });

    private static NodeState at(InetSocketAddress where) {
        return new NodeState("self", where.getAddress(), where.getPort(), new byte[0], new byte[0]);
    }

    private void runFor(Duration d) {
        time.runFor(d.toNanos());
    }

    @Test
    void aClaimantThatDoesNotAnswerIsAnnouncedGoneThreeTimesEachTimeOutbidFirst() {
        claims.claimed(at(EARLIER), 4);
        runFor(Duration.ofSeconds(10));
        assertThat(actions).startsWith("ping 7001", "refute 5", "left@4", "refute 6", "refute 7", "left@4", "refute 8",
                "refute 9", "left@4", "refute 10");
    }

    @Test
    void aClaimantThatAnswersIsTheDelegatesToDecide() {
        answers = true;
        claims.claimed(at(OTHER), 4);
        runFor(Duration.ofSeconds(5));
        assertThat(actions).containsExactly("ping 7002", "conflict 7002");
    }

    /**
     * Once members take our address after the leave, a member that has not heard of it yet still
     * passes the earlier life on. That is old news, not a duplicate: no vote (the fault lab's
     * restart under CPU load lost one, 0 of 9, and shut the new life down).
     */
    @Test
    void staleNewsOfAnEarlierLifeAnnouncedGoneIsNoConflictOnceTheClusterHoldsUsHere() {
        claims.claimed(at(EARLIER), 4);
        runFor(Duration.ofSeconds(2));
        claims.heldHere();
        claims.claimed(at(EARLIER), 4);
        claims.claimed(at(EARLIER), 3);
        runFor(Duration.ofSeconds(5));
        assertThat(actions).doesNotContain("conflict 7001");

        claims.claimed(at(EARLIER), 12); // alive after all: it refuted the leave
        assertThat(actions).endsWith("conflict 7001");
        claims.claimed(at(OTHER), 1); // a newcomer while the cluster holds us here
        assertThat(actions).endsWith("conflict 7002");
    }

    /** Suspected elsewhere: announced gone without pings, once, unless the cluster holds us here. */
    @Test
    void aLifeSuspectedElsewhereIsAnnouncedGoneWithoutPings() {
        claims.suspectedElsewhere(EARLIER, 4);
        claims.suspectedElsewhere(EARLIER, 4);
        runFor(Duration.ZERO);
        assertThat(actions).containsExactly("refute 5", "left@4");
        claims.claimed(at(EARLIER), 4);
        runFor(Duration.ofSeconds(10));
        assertThat(actions).noneMatch(a -> a.startsWith("ping") || a.startsWith("conflict"));

        actions.clear();
        claims.heldHere();
        claims.suspectedElsewhere(OTHER, 9);
        runFor(Duration.ofSeconds(10));
        assertThat(actions).isEmpty();
    }
}
