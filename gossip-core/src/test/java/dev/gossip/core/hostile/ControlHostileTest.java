package dev.gossip.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * No attack: what an idle victim costs and how fast it answers, the baseline of the table; then
 * proof that the meters can see what they measure, by crashing the victim.
 */
class ControlHostileTest {

    @AutoClose
    private final Arena arena = new Arena();

    @Test
    void anIdleVictimIsMeteredAndACrashedOneIsSeen() throws Exception {
        Result r = arena.attack("0", "none (control)", Duration.ofSeconds(3),
                (attacker, deadline) -> { }).report();
        SoftAssertions softly = r.commonTargets();
        softly.assertThat(r.rtt.answered()).as("probes an idle victim answered").isEqualTo(r.rtt.sent());
        softly.assertThat(r.rtt.sent()).as("probes sent in 3 s").isGreaterThan(100);
        softly.assertThat(r.victimCpuNanos).as("CPU time of an idle victim's threads").isPositive();
        softly.assertAll();

        int before = arena.suspicions();
        RttProbe.Stats stats;
        try (RttProbe probe = RttProbe.start(arena.victim, arena.peers)) {
            arena.victim.shutdown();
            await("a peer suspecting the crashed victim").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20)).until(() -> arena.suspicions() > before);
            stats = probe.stop();
        }
        assertThat(stats.lost()).as("probes of a crashed victim lost").isPositive();
        assertThat(stats.p99Millis()).as("p99 once probes are lost").isInfinite();
    }
}
