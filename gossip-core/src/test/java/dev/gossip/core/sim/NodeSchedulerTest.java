package dev.gossip.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.time.Scheduler.Cancellable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSchedulerTest {

    private final VirtualTime time = new VirtualTime();
    private final List<String> log = new ArrayList<>();

    @Test
    void stopDropsPendingTasksOfThatNodeOnly() {
        NodeScheduler crashed = time.newScheduler();
        NodeScheduler survivor = time.newScheduler();
        crashed.schedule(10, () -> log.add("crashed"));
        crashed.schedule(20, () -> log.add("crashed later"));
        survivor.schedule(15, () -> log.add("survivor"));
        assertThat(time.pendingTasks()).isEqualTo(3);

        crashed.stop();

        assertThat(crashed.isStopped()).isTrue();
        assertThat(crashed.pendingTasks()).isZero();
        assertThat(time.pendingTasks()).isEqualTo(1);
        time.runFor(100);
        assertThat(log).containsExactly("survivor");
    }

    @Test
    void scheduleAfterStopIsANoOpWithAHarmlessCancellable() {
        NodeScheduler scheduler = time.newScheduler();
        scheduler.stop();

        Cancellable handle = scheduler.schedule(1, () -> log.add("ghost"));
        scheduler.execute(() -> log.add("ghost too"));
        handle.cancel();
        time.runFor(10);

        assertThat(log).isEmpty();
        assertThat(time.pendingTasks()).isZero();
        assertThat(time.tasksRun()).isZero();
    }

    @Test
    void aNodeCanStopItselfFromInsideItsOwnTask() {
        NodeScheduler scheduler = time.newScheduler();
        scheduler.schedule(1, () -> {
            scheduler.execute(() -> log.add("queued before crash"));
            scheduler.stop();
            scheduler.execute(() -> log.add("queued after crash"));
            log.add("crashing");
        });

        time.runFor(10);

        assertThat(log).containsExactly("crashing");
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void cancellingAfterStopDoesNotUndercountPendingTasks() {
        NodeScheduler stopped = time.newScheduler();
        NodeScheduler other = time.newScheduler();
        Cancellable handle = stopped.schedule(5, () -> { });
        other.schedule(5, () -> { });

        stopped.stop();
        handle.cancel();
        stopped.stop();

        assertThat(time.pendingTasks()).isEqualTo(1);
    }
}
