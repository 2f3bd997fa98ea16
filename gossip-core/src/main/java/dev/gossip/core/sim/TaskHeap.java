package dev.gossip.core.sim;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The virtual clock's queue: a binary min-heap of tasks by (due time, scheduling order). The keys
 * sit in arrays of their own, so sifting compares longs side by side instead of loading every
 * task it passes (a {@code PriorityQueue} of tasks spent most of its time on those loads once a
 * big simulation held thousands of timers). Keys are unique, so the order of removal is exactly
 * that of any other correct priority queue.
 */
final class TaskHeap {

    private ScheduledTask[] tasks = new ScheduledTask[256];
    private long[] due = new long[256];
    private long[] seq = new long[256];
    private int size;

    int size() {
        return size;
    }

    /** The first task, or null when empty. */
    ScheduledTask peek() {
        return size == 0 ? null : tasks[0];
    }

    /** Due time of the first task; only when not empty. */
    long firstDue() {
        return due[0];
    }

    void add(ScheduledTask task) {
        if (size == tasks.length) {
            int grown = size * 2;
            tasks = Arrays.copyOf(tasks, grown);
            due = Arrays.copyOf(due, grown);
            seq = Arrays.copyOf(seq, grown);
        }
        siftUp(size++, task, task.due, task.seq);
    }

    /** Removes and returns the first task, or null when empty. */
    ScheduledTask poll() {
        if (size == 0) {
            return null;
        }
        ScheduledTask first = tasks[0];
        int last = --size;
        ScheduledTask moved = tasks[last];
        long movedDue = due[last];
        long movedSeq = seq[last];
        tasks[last] = null;
        if (last > 0) {
            siftDown(0, moved, movedDue, movedSeq);
        }
        return first;
    }

    /** Drops every task matching {@code filter}, then restores the heap in O(n). */
    void removeIf(Predicate<ScheduledTask> filter) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            ScheduledTask t = tasks[i];
            if (!filter.test(t)) {
                tasks[kept] = t;
                due[kept] = due[i];
                seq[kept] = seq[i];
                kept++;
            }
        }
        Arrays.fill(tasks, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, tasks[i], due[i], seq[i]);
        }
    }

    private static boolean before(long dueA, long seqA, long dueB, long seqB) {
        return dueA < dueB || (dueA == dueB && seqA < seqB);
    }

    private void siftUp(int at, ScheduledTask task, long d, long s) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(d, s, due[parent], seq[parent])) {
                break;
            }
            put(at, tasks[parent], due[parent], seq[parent]);
            at = parent;
        }
        put(at, task, d, s);
    }

    private void siftDown(int at, ScheduledTask task, long d, long s) {
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int right = child + 1;
            if (right < size && before(due[right], seq[right], due[child], seq[child])) {
                child = right;
            }
            if (!before(due[child], seq[child], d, s)) {
                break;
            }
            put(at, tasks[child], due[child], seq[child]);
            at = child;
        }
        put(at, task, d, s);
    }

    private void put(int at, ScheduledTask task, long d, long s) {
        tasks[at] = task;
        due[at] = d;
        seq[at] = s;
    }
}
