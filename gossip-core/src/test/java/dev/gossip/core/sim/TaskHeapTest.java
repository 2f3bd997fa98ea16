package dev.gossip.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The virtual clock's heap hands tasks out in (due, seq) order, as a PriorityQueue would. */
class TaskHeapTest {

    private static final Comparator<ScheduledTask> ORDER =
            Comparator.<ScheduledTask>comparingLong(t -> t.due).thenComparingLong(t -> t.seq);

    @Test
    void pollsInDueThenSchedulingOrderThroughAddsPollsAndRemovals() {
        SplittableRandom random = new SplittableRandom(7);
        NodeScheduler owner = new VirtualTime().newScheduler();
        TaskHeap heap = new TaskHeap();
        PriorityQueue<ScheduledTask> reference = new PriorityQueue<>(ORDER);
        List<ScheduledTask> polled = new ArrayList<>();
        List<ScheduledTask> expected = new ArrayList<>();
        long seq = 0;
        for (int round = 0; round < 200_000; round++) {
            int op = random.nextInt(10);
            if (op < 6) {
                // Few distinct due times, so ties are broken by seq often.
                ScheduledTask t = new ScheduledTask(random.nextLong(50), seq++, owner, () -> { });
                heap.add(t);
                reference.add(t);
            } else if (op < 9) {
                polled.add(heap.poll());
                expected.add(reference.poll());
            } else if (round % 1000 == 9) {
                long cut = random.nextLong(50);
                heap.removeIf(t -> t.due < cut && t.seq % 3 == 0);
                reference.removeIf(t -> t.due < cut && t.seq % 3 == 0);
            }
            assertThat(heap.size()).isEqualTo(reference.size());
            assertThat(heap.peek()).isSameAs(reference.peek());
        }
        while (heap.size() > 0) {
            polled.add(heap.poll());
            expected.add(reference.poll());
        }
        assertThat(polled).hasSize(expected.size());
        for (int i = 0; i < polled.size(); i++) {
            assertThat(polled.get(i)).as("poll %d", i).isSameAs(expected.get(i));
        }
        assertThat(heap.poll()).isNull();
    }
}
