package dev.gossip.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialSchedulerTest {

    private static final Duration GENEROUS = Duration.ofSeconds(5);

    private final SerialScheduler scheduler = new SerialScheduler("test-node");

    @AfterEach
    void close() {
        scheduler.close();
    }

    @Test
    void runsTasksInSubmissionOrderOnOneNamedThread() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            scheduler.execute(() -> {
                order.add(n);
                threads.add(Thread.currentThread().getName());
            });
        }

        await().atMost(GENEROUS).until(() -> order.size() == 200);
        assertThat(order).isSorted();
        assertThat(threads).containsOnly("gossip-test-node");
    }

    @Test
    void delayedTaskWaitsAtLeastItsDelay() {
        long delay = TimeUnit.MILLISECONDS.toNanos(50);
        long scheduledAt = scheduler.nanoTime();
        AtomicLong ranAt = new AtomicLong();

        scheduler.schedule(delay, () -> ranAt.set(scheduler.nanoTime()));

        await().atMost(GENEROUS).until(() -> ranAt.get() != 0);
        assertThat(ranAt.get() - scheduledAt).isGreaterThanOrEqualTo(delay);
    }

    @Test
    void tasksRunByDueTimeNotBySubmission() {
        List<String> order = new CopyOnWriteArrayList<>();

        scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(100), () -> order.add("later"));
        scheduler.schedule(0, () -> order.add("now"));

        await().atMost(GENEROUS).until(() -> order.size() == 2);
        assertThat(order).containsExactly("now", "later");
    }

    @Test
    void cancelledTaskNeverRuns() {
        AtomicBoolean cancelledRan = new AtomicBoolean();
        AtomicBoolean sentinelRan = new AtomicBoolean();

        Scheduler.Cancellable task = scheduler.schedule(
                TimeUnit.MILLISECONDS.toNanos(50), () -> cancelledRan.set(true));
        task.cancel();
        scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(100), () -> sentinelRan.set(true));

        await().atMost(GENEROUS).untilTrue(sentinelRan);
        assertThat(cancelledRan).isFalse();
        task.cancel(); // harmless afterwards
    }

    @Test
    void throwingTaskDoesNotKillTheThread() {
        AtomicReference<Thread> before = new AtomicReference<>();
        AtomicReference<Thread> after = new AtomicReference<>();

        scheduler.execute(() -> before.set(Thread.currentThread()));
        scheduler.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        scheduler.execute(() -> after.set(Thread.currentThread()));

        await().atMost(GENEROUS).until(() -> after.get() != null);
        assertThat(after.get()).isSameAs(before.get());
    }

    @Test
    void knowsWhetherItIsOnItsOwnThread() {
        AtomicReference<Boolean> inside = new AtomicReference<>();

        scheduler.execute(() -> inside.set(scheduler.inLoop()));

        await().atMost(GENEROUS).until(() -> inside.get() != null);
        assertThat(inside.get()).isTrue();
        assertThat(scheduler.inLoop()).isFalse();
    }

    @Test
    void closeStopsTheThreadAndDropsLaterTasks() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicBoolean delayedRan = new AtomicBoolean();
        scheduler.execute(() -> {
            thread.set(Thread.currentThread());
            started.countDown();
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(100), () -> delayedRan.set(true));

        scheduler.close();

        assertThat(scheduler.isClosed()).isTrue();
        await().atMost(GENEROUS).until(() -> !thread.get().isAlive());
        AtomicBoolean lateRan = new AtomicBoolean();
        scheduler.schedule(0, () -> lateRan.set(true)).cancel();
        assertThat(lateRan).isFalse();
        assertThat(delayedRan).isFalse();
        scheduler.close(); // idempotent
    }
}
