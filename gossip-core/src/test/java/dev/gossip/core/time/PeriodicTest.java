package dev.gossip.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.sim.NodeScheduler;
import dev.gossip.core.sim.VirtualTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeriodicTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aRoundThatThrowsIsCountedAndTheNextRoundStillRuns() {
        VirtualTime time = new VirtualTime();
        NodeScheduler scheduler = time.newScheduler();
        int[] rounds = {0};
        int[] counted = {0};
        LoopFailures failures = new LoopFailures(() -> counted[0]++);
        Periodic.every(scheduler, new SplittableRandom(1), SECOND, () -> true, failures, "test", () -> {
            rounds[0]++;
            if (rounds[0] % 2 == 1) {
                throw new IllegalStateException("round " + rounds[0]);
            }
        });

        time.runFor(10 * SECOND);

        assertThat(rounds[0]).isGreaterThanOrEqualTo(10);
        assertThat(counted[0]).isEqualTo((rounds[0] + 1) / 2);
        assertThat(time.taskFailures()).as("nothing escaped to the scheduler").isZero();
    }

    @Test
    void stopsWhenNoLongerRunning() {
        VirtualTime time = new VirtualTime();
        NodeScheduler scheduler = time.newScheduler();
        int[] rounds = {0};
        boolean[] running = {true};
        Periodic.every(scheduler, new SplittableRandom(1), SECOND, () -> running[0],
                new LoopFailures(() -> { }), "test", () -> rounds[0]++);
        time.runFor(3 * SECOND);
        running[0] = false;
        int seen = rounds[0];
        time.runFor(5 * SECOND);
        assertThat(rounds[0]).isEqualTo(seen);
        assertThat(scheduler.pendingTasks()).isZero();
    }
}
