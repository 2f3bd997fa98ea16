package dev.gossip.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * A background loop of calls, one after the other, recording each call's start, end, who served
 * it, or the error. Bounded: it stops when closed, or after {@code maxDuration} at the latest.
 */
public final class Traffic implements AutoCloseable {

    /** One call; returns who served it (the greeter's instance id). */
    @FunctionalInterface
    public interface Caller {
        String call(long seq) throws Exception;
    }

    /**
     * Times are System.nanoTime; {@code port} is the port the load balancer chose, when the caller
     * reported it ({@link #chose}), else -1; {@code servedBy} is null when the call failed.
     */
    public record Call(long seq, long startNanos, long endNanos, int port, String servedBy, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private static final ThreadLocal<Integer> CHOSEN_PORT = ThreadLocal.withInitial(() -> -1);

    /**
     * Called by the caller (e.g. from a client interceptor after the load balancer) with the port
     * the current call was sent to: the call records it, also when it fails.
     */
    public static void chose(int port) {
        CHOSEN_PORT.set(port);
    }

    private final Caller caller;
    private final long pauseMillis;
    private final long deadline;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private final Thread thread;

    private Traffic(String name, Caller caller, Duration pause, Duration maxDuration) {
        this.caller = caller;
        this.pauseMillis = pause.toMillis();
        this.deadline = System.nanoTime() + maxDuration.toNanos();
        this.thread = new Thread(this::loop, "traffic-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    public static Traffic start(String name, Caller caller, Duration pause, Duration maxDuration) {
        return new Traffic(name, caller, pause, maxDuration);
    }

    private void loop() {
        long seq = 0;
        while (running && System.nanoTime() < deadline) {
            long start = System.nanoTime();
            CHOSEN_PORT.set(-1);
            try {
                String servedBy = caller.call(seq);
                calls.add(new Call(seq, start, System.nanoTime(), CHOSEN_PORT.get(), servedBy, null));
            } catch (Exception e) {
                calls.add(new Call(seq, start, System.nanoTime(), CHOSEN_PORT.get(), null, describe(e)));
            }
            seq++;
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- ").append(c);
        }
        return sb.toString();
    }

    /** Every call so far, in order. */
    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public List<Call> failures() {
        return calls().stream().filter(c -> !c.ok()).toList();
    }

    public long served(String instanceId) {
        return calls.stream().filter(c -> instanceId.equals(c.servedBy())).count();
    }

    public Optional<Call> first(Predicate<Call> p) {
        return calls.stream().filter(p).findFirst();
    }

    public Optional<Call> last(Predicate<Call> p) {
        Call last = null;
        for (Call c : calls) {
            if (p.test(c)) {
                last = c;
            }
        }
        return Optional.ofNullable(last);
    }

    /** The loop is still calling (not closed, not past its deadline). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }

    public static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
