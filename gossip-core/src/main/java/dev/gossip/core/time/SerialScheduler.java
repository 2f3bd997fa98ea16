package dev.gossip.core.time;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall-clock {@link Scheduler}: every task of one node runs on a single daemon thread named
 * {@code gossip-<nodeName>}, so protocol state touched only from tasks needs no locks.
 *
 * <p>A task that throws is logged and forgotten; the thread keeps serving later tasks, because one
 * bad message must not stop a node's failure detector. After {@link #close()} new tasks are
 * silently dropped instead of rejected, so timers that race with shutdown do not blow up.
 */
public final class SerialScheduler implements Scheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SerialScheduler.class);

    /** How long {@link #close()} lets tasks that are already due finish. */
    private static final long CLOSE_GRACE_MILLIS = 1_000;

    private static final Cancellable NOT_SCHEDULED = () -> { };

    private final String threadName;
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    /** @param nodeName names the thread ({@code gossip-<nodeName>}) so thread dumps show whose it is */
    public SerialScheduler(String nodeName) {
        this.threadName = "gossip-" + Objects.requireNonNull(nodeName, "nodeName");
        this.executor = new ScheduledThreadPoolExecutor(1, this::newThread);
        // Cancelled probe/suspicion timers are the common case; keep them out of the queue.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.prestartCoreThread();
    }

    private Thread newThread(Runnable runnable) {
        Thread t = new Thread(runnable, threadName);
        t.setDaemon(true);
        thread = t;
        return t;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        Objects.requireNonNull(task, "task");
        try {
            ScheduledFuture<?> future = executor.schedule(
                    () -> runLogged(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException closed) {
            log.debug("{} is closed; dropping task {}", threadName, task);
            return NOT_SCHEDULED;
        }
    }

    private void runLogged(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            // The executor would swallow it into the future, which nobody reads: make it visible.
            log.error("Task {} failed on {}", task, threadName, t);
        }
    }

    /** @return true when called from this scheduler's own thread */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** @return true once {@link #close()} has been called */
    public boolean isClosed() {
        return executor.isShutdown();
    }

    /**
     * Stops the thread: delayed tasks are cancelled, tasks already due may finish (waiting up to a
     * second unless called from the scheduler's own thread), later tasks are dropped. Idempotent.
     */
    @Override
    public void close() {
        executor.shutdown();
        if (inLoop()) {
            return; // waiting for ourselves would only waste the grace period
        }
        try {
            if (!executor.awaitTermination(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                log.debug("{} did not finish within {} ms; interrupting", threadName, CLOSE_GRACE_MILLIS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SerialScheduler[" + threadName + "]";
    }
}
