package dev.gossip.core.interop;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipListener;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A cluster of Java {@code GossipNode}s ({@code Profile.LAN}) in this JVM, each on its own port. */
final class JavaBenchCluster implements BenchCluster {

    private final Arrivals arrivals;
    private final JavaNodes nodes = new JavaNodes();
    private final Map<String, JavaNodes.Node> live = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<Void>> leaving = new LinkedHashMap<>();
    /** Used heap after a GC before any node of this cluster started. */
    private final long heapBefore;

    JavaBenchCluster(Arrivals arrivals) throws InterruptedException {
        this.arrivals = arrivals;
        this.heapBefore = usedHeapAfterGc();
    }

    @Override
    public String label() {
        return "Java";
    }

    @Override
    public List<Arrivals.Source> sources() {
        return List.of(Arrivals.Source.JAVA);
    }

    @Override
    public void start(String name) {
        JavaNodes.Node n = nodes.start(name, Map.of(), null);
        n.node().addListener(listener(name));
        live.put(name, n);
    }

    private GossipListener listener(String observer) {
        return event -> {
            if (event instanceof GossipEvent.MemberEvent me) {
                long now = System.nanoTime();
                Arrivals.Kind kind = switch (me.type()) {
                    case JOIN -> Arrivals.Kind.JOIN;
                    case LEAVE -> Arrivals.Kind.LEAVE;
                    case FAILED -> Arrivals.Kind.FAILED;
                    default -> null;
                };
                if (kind != null) {
                    for (Member m : me.members()) {
                        arrivals.record(Arrivals.Source.JAVA, observer, m.name(), kind, now);
                    }
                }
            }
        };
    }

    @Override
    public long join(String name, String seed) {
        String address = live.get(seed).address();
        long t0 = System.nanoTime();
        live.get(name).node().joinAsync(List.of(address)).thenAccept(answered -> {
            if (answered < 1) {
                System.err.println(name + " could not join " + seed);
            }
        });
        return t0;
    }

    @Override
    public long crash(String name) {
        JavaNodes.Node n = live.remove(name);
        long t0 = System.nanoTime();
        n.node().shutdown(); // no leave: peers must find out by probing, as after kill -9
        return t0;
    }

    @Override
    public long leave(String name) {
        JavaNodes.Node n = live.get(name);
        long t0 = System.nanoTime();
        leaving.put(name, n.node().leave());
        return t0;
    }

    @Override
    public void awaitStopped(String name) throws Exception {
        JavaNodes.Node n = live.remove(name);
        try {
            leaving.remove(name).get(30, TimeUnit.SECONDS);
        } finally {
            n.node().shutdown();
        }
    }

    @Override
    public int aliveSeenBy(String name) {
        return (int) live.get(name).node().members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count();
    }

    @Override
    public long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU time of the nodes' own threads (protocol thread and Netty loops, all named
     * {@code gossip-*}): the nodes' work without this JVM's GC, JIT compiler or driver.
     */
    long nodeThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (t != null && t.getThreadName().startsWith("gossip-")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** Milliseconds this JVM spent compiling (JIT) and in GC so far. */
    static long[] jitAndGcMillis() {
        long gc = 0;
        for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime());
        }
        return new long[] {ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gc};
    }

    /** Used heap after a GC, minus the same before the first node started, per running node. */
    long heapBytesPerNode() throws InterruptedException {
        // JavaNodes keeps every event for its tests; this benchmark does not read them
        live.values().forEach(n -> n.events().clear());
        return (usedHeapAfterGc() - heapBefore) / live.size();
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    int size() {
        return live.size();
    }

    @Override
    public void close() {
        nodes.close();
        live.clear();
    }
}
