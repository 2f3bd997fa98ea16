package dev.gossip.core.interop;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A cluster of real {@code serf agent} processes (LAN profile, log level INFO), driven over RPC. */
final class SerfBenchCluster implements BenchCluster {

    private record Agent(SerfAgent process, SerfRpc rpc, SerfEventTap tap) {
        void close() throws InterruptedException {
            tap.close();
            rpc.close();
            if (process.isAlive()) {
                process.kill(); // only while alive: a reaped PID may belong to someone else by now
            }
            try {
                java.nio.file.Files.deleteIfExists(process.log);
            } catch (java.io.IOException e) {
                // a temp file left behind
            }
        }
    }

    private final Arrivals arrivals;
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<Void>> leaving = new LinkedHashMap<>();
    /** serf's RPC leave answers only once the leave has propagated: issue it off the driver thread. */
    private final ExecutorService leaves = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "serf-leave");
        t.setDaemon(true);
        return t;
    });

    SerfBenchCluster(Arrivals arrivals) {
        this.arrivals = arrivals;
    }

    @Override
    public String label() {
        return "serf";
    }

    @Override
    public List<Arrivals.Source> sources() {
        return List.of(Arrivals.Source.SERF_LOG, Arrivals.Source.SERF_STREAM);
    }

    @Override
    public void start(String name) throws Exception {
        // SerfAgent asks for debug logs; the last -log-level wins, and INFO still has EventMember* lines.
        SerfAgent process = SerfAgent.start(name, Map.of(), null, "-log-level=info");
        try {
            SerfEventTap tap = SerfEventTap.open(name, process.rpcPort, arrivals);
            agents.put(name, new Agent(process, SerfRpc.connect(process.rpcPort), tap));
        } catch (Exception e) {
            process.close();
            throw e;
        }
    }

    @Override
    public long join(String name, String seed) throws Exception {
        Agent a = agents.get(name);
        String address = agents.get(seed).process.gossipAddress();
        long t0 = System.nanoTime();
        int answered = a.rpc.join(address);
        if (answered < 1) {
            throw new IllegalStateException(name + " could not join " + seed);
        }
        return t0;
    }

    @Override
    public long crash(String name) throws Exception {
        Agent a = agents.remove(name);
        long t0 = System.nanoTime();
        a.process.kill(); // SIGKILL, then waits for the exit
        a.close();
        return t0;
    }

    @Override
    public long leave(String name) {
        Agent a = agents.get(name);
        long t0 = System.nanoTime();
        leaving.put(name, CompletableFuture.runAsync(() -> {
            try {
                a.rpc.leave();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, leaves));
        return t0;
    }

    @Override
    public void awaitStopped(String name) throws Exception {
        Agent a = agents.remove(name);
        try {
            leaving.remove(name).get(30, TimeUnit.SECONDS);
            // after answering the leave the agent shuts down and its process exits
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (a.process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            a.close();
        }
    }

    @Override
    public int aliveSeenBy(String name) throws Exception {
        return (int) agents.get(name).rpc.members().values().stream().filter("alive"::equals).count();
    }

    @Override
    public long cpuNanos() throws Exception {
        long sum = 0;
        for (Agent a : agents.values()) {
            sum += ProcFs.cpuNanos(a.process.pid());
        }
        return sum;
    }

    /** Median VmRSS of the running agents, in bytes. */
    long medianRssBytes() throws Exception {
        List<Long> rss = new java.util.ArrayList<>();
        for (Agent a : agents.values()) {
            rss.add(ProcFs.rssBytes(Long.toString(a.process.pid())));
        }
        return (long) PhaseStats.median(rss.stream().map(Long::doubleValue).toList());
    }

    @Override
    public void close() {
        for (Agent a : agents.values()) {
            try {
                a.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        agents.clear();
        leaves.shutdownNow();
    }
}
