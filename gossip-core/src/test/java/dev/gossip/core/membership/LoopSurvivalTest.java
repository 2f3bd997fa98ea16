package dev.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.DropReason;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The gossip, probe and push/pull loops keep running after a round throws (here: the layer
 * above fails while the round asks it for broadcasts or state), and count each failure.
 */
class LoopSurvivalTest {

    private static final Duration NEVER = Duration.ofDays(10);

    @Test
    void probeAndPushPullRoundsContinueAfterTheyThrow() {
        // Only a's loops put pings and streams on b: b neither probes nor pushes/pulls.
        TwoMemberlists c = new TwoMemberlists(t -> t.pushPullInterval(Duration.ofSeconds(2)),
                t -> t.probeInterval(NEVER).pushPullInterval(NEVER));
        c.startAndJoin();

        c.delegateA.failing = true; // a's pings piggyback its delegate's broadcasts; push/pull sends its state
        c.runSeconds(6);
        c.delegateA.failing = false;

        long pings = c.statsB.messages().getOrDefault("ping", 0L);
        long streams = c.statsB.streamsReceived();
        c.runSeconds(10);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(c.statsB.messages().getOrDefault("ping", 0L)).as("a still probes b")
                .isGreaterThan(pings + 5);
        soft.assertThat(c.statsB.streamsReceived()).as("a still pushes/pulls with b")
                .isGreaterThan(streams + 2);
        soft.assertThat(c.statsA.drops(DropReason.INTERNAL)).as("rounds that threw").isPositive();
        soft.assertAll();
    }

    @Test
    void gossipTicksContinueAfterTheyThrow() {
        // No probes either way, no periodic push/pull: only a's gossip can carry a's broadcast.
        TwoMemberlists c = new TwoMemberlists(t -> t.probeInterval(NEVER).pushPullInterval(NEVER),
                t -> t.probeInterval(NEVER).pushPullInterval(NEVER));
        c.startAndJoin();
        c.runSeconds(5); // the join's alive broadcasts are spent

        c.delegateA.failing = true;
        c.runSeconds(2);
        c.delegateA.failing = false;

        c.delegateA.outgoing.add(new byte[] {42});
        c.runSeconds(2);
        assertThat(c.delegateB.received).as("a's next gossip carried the broadcast").hasSize(1);
        assertThat(c.statsA.drops(DropReason.INTERNAL)).as("gossip ticks that threw").isPositive();
    }
}
