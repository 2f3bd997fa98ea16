package dev.gossip.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.core.time.Scheduler.Cancellable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

    private final VirtualTime time = new VirtualTime();
    private final NodeScheduler scheduler = time.newScheduler();
    private final List<String> log = new ArrayList<>();

    @Test
    void clockStartsAtZeroAndRunForLandsExactlyOnTheDeadline() {
        assertThat(time.now()).isZero();
        assertThat(scheduler.nanoTime()).isZero();

        time.runFor(1_234);

        assertThat(time.now()).isEqualTo(1_234);
        assertThat(scheduler.nanoTime()).isEqualTo(1_234);
    }

    @Test
    void runsTasksByDueTimeThenSchedulingOrder() {
        scheduler.schedule(30, () -> log.add("c@" + time.now()));
        scheduler.schedule(10, () -> log.add("a1@" + time.now()));
        time.newScheduler().schedule(10, () -> log.add("a2@" + time.now()));
        scheduler.schedule(20, () -> log.add("b@" + time.now()));

        time.runFor(100);

        assertThat(log).containsExactly("a1@10", "a2@10", "b@20", "c@30");
        assertThat(time.tasksRun()).isEqualTo(4);
    }

    @Test
    void taskDueOnTheDeadlineRunsAndLaterOnesWait() {
        scheduler.schedule(100, () -> log.add("on deadline"));
        scheduler.schedule(101, () -> log.add("after"));

        time.runFor(100);
        assertThat(log).containsExactly("on deadline");
        assertThat(time.pendingTasks()).isEqualTo(1);

        time.runFor(1);
        assertThat(log).containsExactly("on deadline", "after");
    }

    @Test
    void zeroDelayRunsAfterTasksAlreadyDueNowAndNeverReentrantly() {
        AtomicInteger depth = new AtomicInteger();
        scheduler.schedule(5, () -> {
            depth.incrementAndGet();
            log.add("first");
            scheduler.execute(() -> log.add("spawned, depth " + depth.get()));
            scheduler.schedule(-7, () -> log.add("negative delay counts as zero"));
            log.add("first done");
            depth.decrementAndGet();
        });
        scheduler.schedule(5, () -> log.add("second"));

        time.runFor(5);

        assertThat(log).containsExactly("first", "first done", "second", "spawned, depth 0",
                "negative delay counts as zero");
        assertThat(time.now()).isEqualTo(5);
    }

    @Test
    void cancelledTasksDoNotRunAndCancellingIsHarmlessAfterwards() {
        Cancellable cancelled = scheduler.schedule(10, () -> log.add("cancelled"));
        Cancellable ran = scheduler.schedule(10, () -> log.add("ran"));
        assertThat(time.pendingTasks()).isEqualTo(2);

        cancelled.cancel();
        cancelled.cancel();
        assertThat(time.pendingTasks()).isEqualTo(1);

        time.runFor(10);
        ran.cancel();

        assertThat(log).containsExactly("ran");
        assertThat(time.pendingTasks()).isZero();
        assertThat(time.tasksRun()).isEqualTo(1);
    }

    @Test
    void aThrowingTaskIsCountedAndTheSimulationCarriesOn() {
        IllegalStateException first = new IllegalStateException("first");
        scheduler.schedule(1, () -> {
            throw first;
        });
        scheduler.schedule(2, () -> {
            throw new AssertionError("second");
        });
        scheduler.schedule(3, () -> log.add("still running"));

        time.runFor(10);

        assertThat(log).containsExactly("still running");
        assertThat(time.taskFailures()).isEqualTo(2);
        assertThat(time.firstFailure()).isSameAs(first);
        assertThat(time.tasksRun()).isEqualTo(3);
        assertThat(time.now()).isEqualTo(10);
    }

    @Test
    void noFailuresMeansNoFirstFailure() {
        scheduler.schedule(1, () -> log.add("fine"));
        time.runFor(1);
        assertThat(time.taskFailures()).isZero();
        assertThat(time.firstFailure()).isNull();
    }

    @Test
    void runningTheClockFromInsideATaskIsRejected() {
        scheduler.schedule(1, () -> time.runFor(5));

        time.runFor(10);

        assertThat(time.firstFailure()).isInstanceOf(IllegalStateException.class);
        assertThat(time.now()).isEqualTo(10);
    }

    @Test
    void runUntilChecksOnItsCadenceAndStopsAtTheFirstCheckThatHolds() {
        scheduler.schedule(2_500, () -> log.add("done"));
        AtomicInteger checks = new AtomicInteger();

        boolean reached = time.runUntil(() -> {
            checks.incrementAndGet();
            return !log.isEmpty();
        }, 1_000, 10_000);

        assertThat(reached).isTrue();
        assertThat(time.now()).isEqualTo(3_000);
        assertThat(checks.get()).isEqualTo(4); // at 0, 1000, 2000, 3000
    }

    @Test
    void runUntilGivesUpAfterMaxNanos() {
        AtomicInteger checks = new AtomicInteger();

        boolean reached = time.runUntil(() -> {
            checks.incrementAndGet();
            return false;
        }, 300, 1_000);

        assertThat(reached).isFalse();
        assertThat(time.now()).isEqualTo(1_000);
        assertThat(checks.get()).isEqualTo(5); // at 0, 300, 600, 900, 1000
    }

    @Test
    void runUntilReturnsAtOnceWhenTheConditionAlreadyHolds() {
        assertThat(time.runUntil(() -> true, 1_000, 10_000)).isTrue();
        assertThat(time.now()).isZero();
    }

    @Test
    void rejectsNonsenseArguments() {
        assertThatThrownBy(() -> time.runFor(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> time.runUntil(() -> true, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scheduler.schedule(1, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void hugeDelaysSaturateInsteadOfOverflowing() {
        scheduler.schedule(Long.MAX_VALUE, () -> log.add("never"));
        time.runFor(1_000);
        scheduler.schedule(Long.MAX_VALUE, () -> log.add("never either"));

        time.runFor(1_000_000);

        assertThat(log).isEmpty();
        assertThat(time.pendingTasks()).isEqualTo(2);
    }
}
