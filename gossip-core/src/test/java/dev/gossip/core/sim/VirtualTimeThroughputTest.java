package dev.gossip.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.time.Scheduler.Cancellable;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sanity checks on volume; asserts counts only, never wall time. */
class VirtualTimeThroughputTest {

    private static final long MILLI = 1_000_000;

    @Test
    void runsAMillionPeriodicTasksAcrossAThousandNodes() {
        VirtualTime time = new VirtualTime();
        SplittableRandom random = new SplittableRandom(42);
        long[] ticks = new long[1];
        for (int node = 0; node < 1_000; node++) {
            NodeScheduler scheduler = time.newScheduler();
            scheduleTick(scheduler, random.nextLong(1, 1_000), ticks);
        }

        // 1000 nodes ticking every millisecond: 1000 ms of virtual time is 1M ticks.
        time.runFor(1_000 * MILLI);

        assertThat(ticks[0]).isBetween(999_000L, 1_000_000L);
        assertThat(time.tasksRun()).isEqualTo(ticks[0]);
        assertThat(time.pendingTasks()).isEqualTo(1_000);
        assertThat(time.firstFailure()).isNull();
    }

    @Test
    void timersThatAreMostlyCancelledKeepTheHeapSmall() {
        VirtualTime time = new VirtualTime();
        NodeScheduler scheduler = time.newScheduler();
        long[] timeoutsFired = new long[1];
        int rounds = 500_000;
        // Every probe arms a long timeout and cancels it when the ack comes: the common case.
        for (int i = 0; i < rounds; i++) {
            Cancellable timeout = scheduler.schedule(10_000 * MILLI, () -> timeoutsFired[0]++);
            scheduler.schedule(i, timeout::cancel);
        }

        time.runFor(rounds);

        assertThat(timeoutsFired[0]).isZero();
        assertThat(time.pendingTasks()).isZero();
        assertThat(time.queueSize()).isLessThan(rounds / 10);
        assertThat(time.tasksRun()).isEqualTo(rounds);
    }

    @Test
    void stoppingManyNodesReleasesTheirQueuedTasks() {
        VirtualTime time = new VirtualTime();
        NodeScheduler[] nodes = new NodeScheduler[2_000];
        for (int n = 0; n < nodes.length; n++) {
            nodes[n] = time.newScheduler();
            for (int t = 1; t <= 10; t++) {
                nodes[n].schedule(t * MILLI, () -> { });
            }
        }
        for (int n = 0; n < nodes.length - 1; n++) {
            nodes[n].stop();
        }

        assertThat(time.pendingTasks()).isEqualTo(10);
        assertThat(time.queueSize()).isLessThan(10_000);
        time.runFor(20 * MILLI);
        assertThat(time.tasksRun()).isEqualTo(10);
    }

    private static void scheduleTick(NodeScheduler scheduler, long delay, long[] ticks) {
        scheduler.schedule(delay, () -> {
            ticks[0]++;
            scheduleTick(scheduler, MILLI, ticks);
        });
    }
}
