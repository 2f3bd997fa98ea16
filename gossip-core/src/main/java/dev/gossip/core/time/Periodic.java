package dev.gossip.core.time;

import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A protocol timer: runs a task every interval on the node's scheduler, first after a random
 * stagger in [0, interval) so nodes started together don't tick in lockstep (§8.4), and stops
 * once {@code running} turns false. A round that throws is handed to {@link LoopFailures} and
 * the next round is scheduled all the same.
 */
public final class Periodic {

    private Periodic() {}

    public static void every(Scheduler scheduler, RandomGenerator random, long intervalNanos,
                             BooleanSupplier running, LoopFailures failures, String name,
                             Runnable task) {
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            if (running.getAsBoolean()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    failures.record(name, e);
                } finally {
                    scheduler.schedule(intervalNanos, loop[0]);
                }
            }
        };
        scheduler.schedule(random.nextLong(Math.max(1, intervalNanos)), loop[0]);
    }
}
