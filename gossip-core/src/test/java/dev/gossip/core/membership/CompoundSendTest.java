package dev.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.UnaryOperator;
import dev.gossip.core.Timings;
import org.junit.jupiter.api.Test;

/**
 * More than 255 small broadcasts fit one big UDP buffer: the sender must split them over
 * several compounds (memberlist util.go:makeCompoundMessages), not fail the send.
 */
class CompoundSendTest {

    private static final Duration NEVER = Duration.ofDays(10);
    private static final int MESSAGES = 600;

    private static void queueSmallBroadcasts(TwoMemberlists c) {
        for (int i = 0; i < MESSAGES; i++) {
            c.delegateA.outgoing.add(new byte[] {(byte) i});
        }
    }

    @Test
    void gossipSplitsSixHundredBroadcastsIntoThreeCompounds() {
        UnaryOperator<Timings.Builder> quiet = t -> t.udpBufferSize(60_000).probeInterval(NEVER)
                .pushPullInterval(NEVER);
        TwoMemberlists c = new TwoMemberlists(quiet, quiet);
        c.startAndJoin();
        c.runSeconds(5);
        long sent = c.statsA.packetsSent();

        queueSmallBroadcasts(c);
        c.runSeconds(1);

        assertThat(c.delegateB.received).hasSize(MESSAGES);
        assertThat(c.statsA.packetsSent() - sent).as("one gossip tick, three compounds").isEqualTo(3);
        assertThat(c.statsB.drops()).isEmpty();
    }

    @Test
    void aPingPiggybacksSixHundredBroadcastsOverThreeCompounds() {
        TwoMemberlists c = new TwoMemberlists(
                t -> t.udpBufferSize(60_000).gossipInterval(NEVER).pushPullInterval(NEVER),
                t -> t.udpBufferSize(60_000).gossipInterval(NEVER).probeInterval(NEVER)
                        .pushPullInterval(NEVER));
        c.startAndJoin();
        c.runSeconds(5);
        long pings = c.statsB.messages().getOrDefault("ping", 0L);

        queueSmallBroadcasts(c);
        c.runSeconds(1.5);

        assertThat(c.statsB.messages().getOrDefault("ping", 0L)).isGreaterThan(pings);
        assertThat(c.delegateB.received).hasSize(MESSAGES);
        assertThat(c.statsB.drops()).isEmpty();
    }
}
