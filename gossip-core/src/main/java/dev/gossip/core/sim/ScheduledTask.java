package dev.gossip.core.sim;

import dev.gossip.core.time.Scheduler;

/**
 * One entry of the virtual event queue. Cancelling only flips a flag: the queue skips dead entries
 * when it reaches them, which is far cheaper than removing from the middle of a heap.
 */
final class ScheduledTask implements Scheduler.Cancellable {

    final long due;
    /** Scheduling order, which breaks ties of {@link #due}. */
    final long seq;
    private final NodeScheduler owner;
    private Runnable body;

    ScheduledTask(long due, long seq, NodeScheduler owner, Runnable body) {
        this.due = due;
        this.seq = seq;
        this.owner = owner;
        this.body = body;
    }

    /** Still waiting to run: neither run, cancelled, nor owned by a stopped node. */
    boolean isLive() {
        return body != null && !owner.isStopped();
    }

    @Override
    public void cancel() {
        if (isLive()) {
            body = null; // also frees what the task captured while the dead entry waits in the heap
            owner.taskFinished();
        }
    }

    /** Hands out the body exactly once, or {@code null} when the task is no longer live. */
    Runnable claim() {
        if (!isLive()) {
            return null;
        }
        Runnable task = body;
        body = null;
        owner.taskFinished();
        return task;
    }
}
