package dev.gossip.core.hostile;

import dev.gossip.core.GossipNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU time a node's own threads spend over an interval: its protocol thread
 * ({@code gossip-<name>}) and its transport's threads ({@code gossip-netty-<name>-…}, or any other
 * {@code gossip-*} thread carrying the name between dashes), summed from ThreadMXBean thread CPU
 * time. Sampled every {@value #SAMPLE_MILLIS} ms, so that a thread that ends during the interval
 * (a node shut down by an attack) still counts up to its last sample; one that starts during it
 * counts from zero. Also the JVM's used heap after full collections.
 */
final class VictimMeter implements AutoCloseable {

    private static final long SAMPLE_MILLIS = 50;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final String name;
    private final Map<Long, Long> startNanos = new HashMap<>();
    /** Written by the sampler until {@link #stop()} joins it. */
    private final Map<Long, Long> lastNanos = new HashMap<>();
    private final Map<Long, String> seen = new HashMap<>();
    private final Thread sampler = new Thread(this::sampleUntilStopped, "hostile-meter");
    private volatile boolean sampling = true;

    private VictimMeter(String name) {
        this.name = name;
    }

    /** @throws IllegalStateException when this JVM cannot measure thread CPU time, or finds no thread of the node */
    static VictimMeter start(GossipNode node) {
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("This JVM cannot measure thread CPU time: the victim's CPU cannot be metered");
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        VictimMeter meter = new VictimMeter(node.name());
        meter.sample();
        meter.startNanos.putAll(meter.lastNanos);
        if (!meter.seen.containsValue("gossip-" + node.name()) || meter.seen.size() < 2) {
            throw new IllegalStateException("Expected the protocol thread and transport threads of " + node.name()
                    + ", found " + meter.seen.values());
        }
        meter.sampler.setDaemon(true);
        meter.sampler.start();
        return meter;
    }

    private void sampleUntilStopped() {
        while (sampling) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS));
            sample();
        }
    }

    private void sample() {
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0)) {
            if (info != null && isNodeThread(info.getThreadName())) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    lastNanos.put(info.getThreadId(), cpu);
                    seen.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
    }

    private boolean isNodeThread(String thread) {
        return thread.equals("gossip-" + name)
                || (thread.startsWith("gossip-") && (thread.contains("-" + name + "-") || thread.endsWith("-" + name)));
    }

    /** Stops sampling; returns the CPU nanoseconds the node's threads used since {@link #start}. */
    long stop() throws InterruptedException {
        sampling = false;
        sampler.join();
        sample();
        long total = 0;
        for (Map.Entry<Long, Long> t : lastNanos.entrySet()) {
            total += t.getValue() - startNanos.getOrDefault(t.getKey(), 0L);
        }
        return total;
    }

    /** Names of every thread counted. */
    List<String> threadNames() {
        return seen.values().stream().sorted().toList();
    }

    @Override
    public void close() throws InterruptedException {
        sampling = false;
        sampler.join();
    }

    /**
     * The least used heap after full collections seen within {@code window}, in bytes: what the
     * JVM keeps once the victim has finished the attack's last work. On a busy machine the victim
     * may still be decoding the last stream when the attack ends (a 20 MiB push/pull is 60 MB on
     * the heap while decoded), which one reading would count as retained; a leak or a queue that
     * does not drain stays in every reading. Stops early once within {@code slackBytes} of {@code
     * before}.
     */
    static long retainedHeap(long before, long slackBytes, Duration window) throws InterruptedException {
        long until = System.nanoTime() + window.toNanos();
        long least = Long.MAX_VALUE;
        do {
            least = Math.min(least, usedHeapAfterGc());
        } while (least - before > slackBytes && System.nanoTime() - until < 0);
        return least;
    }

    /** Used heap after full collections, in bytes: what the whole JVM retains. */
    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
