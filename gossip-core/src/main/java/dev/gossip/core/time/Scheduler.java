package dev.gossip.core.time;

/**
 * The only source of time and the only executor the protocol code uses.
 *
 * <p>Every task runs on one serial executor per node, so protocol state needs no locks. A real
 * scheduler runs tasks on one thread; a virtual one ({@code VirtualTime}) runs thousands of nodes
 * on the test's thread, deterministically.
 */
public interface Scheduler {

    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Runs {@code task} on this node's serial executor after {@code delayNanos} (0 = soon). */
    Cancellable schedule(long delayNanos, Runnable task);

    /** Whether the caller runs on this node's serial executor (a virtual one answers false). */
    default boolean inLoop() {
        return false;
    }

    /** Runs {@code task} on this node's serial executor as soon as possible. */
    default void execute(Runnable task) {
        schedule(0, task);
    }

    /** A scheduled task that may still be called off. */
    interface Cancellable {
        /** Cancels the task if it has not run yet; harmless afterwards. */
        void cancel();
    }
}
