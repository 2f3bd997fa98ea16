package dev.gossip.core.sim;

import java.util.function.BooleanSupplier;

/**
 * One virtual clock and event queue shared by all simulated nodes.
 *
 * <p>Time stands still while a task runs and jumps to the next task's due time in between. Tasks
 * run in (due time, scheduling order), so a run is a pure function of what was scheduled: the
 * same inputs and seeds always give the same trace. Everything runs on the caller's thread.
 *
 * <p>A task that throws does not stop the simulation; the failure is counted and the first one
 * kept, so a test should end with {@code assertThat(time.firstFailure()).isNull()}.
 *
 * <p>Not thread-safe: create, schedule on and run it from one thread.
 */
public final class VirtualTime {

    /** Dead heap entries tolerated before compaction is considered; avoids churn on small heaps. */
    private static final int MIN_GARBAGE_TO_COMPACT = 4096;

    private final TaskHeap queue = new TaskHeap();
    private long now;
    private long nextSeq;
    private long live;
    private long tasksRun;
    private long taskFailures;
    private Throwable firstFailure;
    private boolean running;

    /** Current virtual time in nanoseconds; starts at 0. */
    public long now() {
        return now;
    }

    /** A scheduler for one node; all of them share this clock and queue. */
    public NodeScheduler newScheduler() {
        return new NodeScheduler(this);
    }

    /**
     * Runs every task due within the next {@code nanos}, including tasks those tasks schedule, then
     * leaves the clock exactly {@code nanos} later.
     *
     * @throws IllegalStateException when called from inside a task (the run would nest)
     */
    public void runFor(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos must be >= 0: " + nanos);
        }
        if (running) {
            throw new IllegalStateException("runFor called from inside a simulated task");
        }
        long deadline = saturatedAdd(now, nanos);
        running = true;
        try {
            while (queue.size() > 0 && queue.firstDue() <= deadline) {
                ScheduledTask next = queue.poll();
                Runnable body = next.claim();
                if (body != null) {
                    now = next.due;
                    runGuarded(body);
                }
            }
            now = deadline;
        } finally {
            running = false;
        }
    }

    /**
     * Advances time until {@code condition} holds, checking it first now and then after every
     * {@code checkEveryNanos} of virtual time (conditions over many nodes can be costly, so they
     * are not checked after every task).
     *
     * @return whether the condition held within {@code maxNanos}; the clock stops at the check
     *     that saw it true, or after {@code maxNanos} otherwise
     */
    public boolean runUntil(BooleanSupplier condition, long checkEveryNanos, long maxNanos) {
        if (checkEveryNanos <= 0) {
            throw new IllegalArgumentException("checkEveryNanos must be > 0: " + checkEveryNanos);
        }
        if (maxNanos < 0) {
            throw new IllegalArgumentException("maxNanos must be >= 0: " + maxNanos);
        }
        long end = saturatedAdd(now, maxNanos);
        if (condition.getAsBoolean()) {
            return true;
        }
        while (now < end) {
            runFor(Math.min(checkEveryNanos, end - now));
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Tasks that have run (including those that threw). */
    public long tasksRun() {
        return tasksRun;
    }

    /** Tasks waiting to run, not counting cancelled ones or those of stopped nodes. */
    public int pendingTasks() {
        return (int) Math.min(Integer.MAX_VALUE, live);
    }

    /** Tasks that threw. */
    public long taskFailures() {
        return taskFailures;
    }

    /** What the first failing task threw, or {@code null} if none has. */
    public Throwable firstFailure() {
        return firstFailure;
    }

    /**
     * Heap entries including dead ones (cancelled timers, tasks of stopped nodes): what the queue
     * holds in memory. For tests of the lazy clean-up and soak tests.
     */
    public int queueSize() {
        return queue.size();
    }

    ScheduledTask enqueue(NodeScheduler owner, long delayNanos, Runnable body) {
        long due = saturatedAdd(now, Math.max(0, delayNanos));
        ScheduledTask task = new ScheduledTask(due, nextSeq++, owner, body);
        queue.add(task);
        live++;
        return task;
    }

    void taskFinished() {
        live--;
        compactIfWasteful();
    }

    void ownerStopped(long droppedTasks) {
        live -= droppedTasks;
        compactIfWasteful();
    }

    /**
     * Drops dead entries once they outnumber live ones, so workloads that cancel most timers (probe
     * timeouts) keep a small heap. Each O(n) pass removes at least half the heap: amortised O(1).
     */
    private void compactIfWasteful() {
        long garbage = queue.size() - live;
        if (garbage > MIN_GARBAGE_TO_COMPACT && garbage > live) {
            queue.removeIf(task -> !task.isLive());
        }
    }

    private void runGuarded(Runnable body) {
        tasksRun++;
        try {
            body.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable failure) {
            taskFailures++;
            if (firstFailure == null) {
                firstFailure = failure;
            }
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
