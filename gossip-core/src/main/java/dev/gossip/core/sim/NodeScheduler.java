package dev.gossip.core.sim;

import dev.gossip.core.time.Scheduler;

/**
 * The {@link Scheduler} of one simulated node, backed by the shared {@link VirtualTime}.
 *
 * <p>{@link #stop()} models a crashed process: every pending task of this node is dropped and
 * later {@link #schedule} calls do nothing, while other nodes carry on.
 */
public final class NodeScheduler implements Scheduler {

    private static final Cancellable NOTHING = () -> { };

    private final VirtualTime time;
    private boolean stopped;
    private long pending;

    NodeScheduler(VirtualTime time) {
        this.time = time;
    }

    @Override
    public long nanoTime() {
        return time.now();
    }

    /** Queues {@code task}; a negative delay counts as 0. Never runs the task re-entrantly. */
    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (stopped) {
            return NOTHING;
        }
        pending++;
        return time.enqueue(this, delayNanos, task);
    }

    /** Drops all pending tasks of this node and ignores later ones. Idempotent. */
    public void stop() {
        if (!stopped) {
            stopped = true;
            time.ownerStopped(pending);
            pending = 0;
        }
    }

    /** Whether {@link #stop()} was called. */
    public boolean isStopped() {
        return stopped;
    }

    /** Tasks of this node still waiting to run. */
    public long pendingTasks() {
        return pending;
    }

    void taskFinished() {
        pending--;
        time.taskFinished();
    }
}
