package dev.gossip.core.simulation;

import dev.gossip.core.Timings;
import dev.gossip.core.charts.LineChart;
import dev.gossip.core.sim.NetworkStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scale table (a benchmark main, not a test): for each N, N nodes join a random earlier node
 * 5 ms apart (a mass restart), then run a minute in steady state, in one simulating JVM.
 *
 * <p>Per N it prints: when every view was complete (virtual seconds), how fast the simulation ran
 * against real time, the CPU the simulation spent per node per virtual second (the protocol's
 * work plus the simulator's), packets and bytes per node per second during the storm and in
 * steady state, the push/pull (stream) bytes among them, and retained heap per node after the
 * steady minute (the simulator's share included).
 *
 * <p>Arguments: sizes ({@code 500,1000,2000} by default), {@code --wan} for WAN timings,
 * {@code --tags=B} for a B-byte tag on every node, {@code --steady=S} seconds. The heap must hold
 * every node's view of every other: give it {@code -Xmx} accordingly. How to run it is in
 * {@code benchmarks/README.md}; the table also goes to {@code target/scale/}, with a chart of
 * how the joins spread ({@link Dissemination}, one line per N).
 */
final class ScaleBenchmark {

    private static final long SEED = 11;

    private ScaleBenchmark() {
    }

    record Row(String setting, int n, Dissemination dissemination, double formedSeconds, double formationSpeed, double steadySpeed,
               double stormCpuMicrosPerNodeSecond, double cpuMicrosPerNodeSecond, Rates storm, Rates steady,
               long heapBytesPerNode) {}

    /** Per node per second. */
    record Rates(double packets, double bytes, double streamBytes) {
        static Rates between(NetworkStats a, NetworkStats b, int n, double seconds) {
            double d = n * seconds;
            return new Rates((b.packetsSent() - a.packetsSent()) / d, (b.packetBytesSent() - a.packetBytesSent()) / d,
                    (b.streamBytes() - a.streamBytes()) / d);
        }
    }

    public static void main(String[] args) throws IOException {
        List<Integer> sizes = new ArrayList<>(List.of(500, 1000, 2000));
        boolean wan = false;
        int tagBytes = 0;
        int steadySeconds = 60;
        for (String a : args) {
            if (a.equals("--wan")) {
                wan = true;
            } else if (a.startsWith("--tags=")) {
                tagBytes = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("--steady=")) {
                steadySeconds = Integer.parseInt(a.substring(9));
            } else {
                sizes.clear();
                for (String s : a.split(",")) {
                    sizes.add(Integer.parseInt(s.trim()));
                }
            }
        }
        Timings timings = wan ? Timings.wan() : Timings.lan();
        String setting = (wan ? "WAN" : "LAN") + (tagBytes > 0 ? ", " + tagBytes + " B tags" : "");
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            Row r = run(setting, n, timings, tagBytes, Duration.ofSeconds(steadySeconds));
            rows.add(r);
            System.out.println(format(List.of(r)));
        }
        String table = format(rows);
        Path dir = Path.of(System.getProperty("scale.dir", "target/scale"));
        Files.createDirectories(dir);
        String name = "scale-" + (wan ? "wan" : "lan") + (tagBytes > 0 ? "-tags" + tagBytes : "");
        Files.writeString(dir.resolve(name + ".md"), table, StandardCharsets.UTF_8);
        LineChart chart = new LineChart("Mass join, " + setting + ": nodes join 5 ms apart",
                "virtual seconds since the first node started", "% of (node, member) pairs known");
        for (Row r : rows) {
            double[] percent = r.dissemination().known();
            for (int i = 0; i < percent.length; i++) {
                percent[i] *= 100;
            }
            chart.series("N = " + r.n(), r.dissemination().seconds(), percent);
        }
        chart.write(dir.resolve(name + ".svg"));
        System.out.println(table);
    }

    static Row run(String setting, int n, Timings timings, int tagBytes, Duration steady) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        SimCluster c = new SimCluster(SEED, timings);
        c.recordEvents = false;
        Map<String, String> tags = tagBytes > 0 ? Map.of("meta", "x".repeat(Math.max(0, tagBytes - 4))) : Map.of();

        long wall0 = System.nanoTime();
        long stormCpu0 = cpu.getCurrentThreadCpuTime();
        NetworkStats s0 = c.network.stats();
        Dissemination known = new Dissemination(n);
        for (int i = 0; i < n; i++) {
            SimCluster.SimNode node = c.add(i, tags);
            if (i > 0) {
                node.node.joinAsync(List.of(SimCluster.seedOf((int) ((i * 0x9E3779B97F4A7C15L >>> 11) % i))));
            }
            c.time.runFor(Duration.ofMillis(5).toNanos());
            if (i % 20 == 19) { // every 100 ms
                known.sample(c);
            }
        }
        if (!c.runUntil(cluster -> known.sample(cluster) && cluster.converged(), Duration.ofMillis(100),
                Duration.ofMinutes(10))) {
            throw new AssertionError(n + " nodes did not converge: " + c.convergenceReport());
        }
        double formed = c.seconds();
        double formationWall = (System.nanoTime() - wall0) / 1e9;
        double stormCpuMicros = (cpu.getCurrentThreadCpuTime() - stormCpu0) / 1e3;
        NetworkStats s1 = c.network.stats();
        Rates storm = Rates.between(s0, s1, n, formed);

        // Let the formation's queues drain, and the storm's push/pulls end (they go on for 10
        // probe intervals after the queue is shallow: 10 s on a LAN, 50 s on a WAN), before the
        // steady window.
        c.runFor(Duration.ofSeconds(Math.max(30, 20 + 10 * timings.probeInterval().toSeconds())));
        NetworkStats s2 = c.network.stats();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        long wall2 = System.nanoTime();
        c.runFor(steady);
        double steadyWall = (System.nanoTime() - wall2) / 1e9;
        double cpuMicros = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e3;
        Rates steadyRates = Rates.between(s2, c.network.stats(), n, steady.toSeconds());
        c.assertNoTaskFailures();
        if (!c.converged()) {
            throw new AssertionError(n + " nodes diverged in steady state: " + c.convergenceReport());
        }
        long heap = retainedHeap() / n;
        return new Row(setting, n, known, formed, formed / formationWall, steady.toSeconds() / steadyWall,
                stormCpuMicros / (n * formed), cpuMicros / (n * (double) steady.toSeconds()), storm, steadyRates,
                heap);
    }

    private static long retainedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| setting | N | formed (virtual) | speed: formation / steady (× real time) | CPU per node, "
                + "storm / steady (µs per node-second) | storm per node: packets/s, B/s (of which push/pull) "
                + "| steady per node: packets/s, B/s (of which push/pull) | heap per node |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f s | %.2f / %.1f | %,.0f / %.0f | %.1f, %,.0f (%,.0f) | %.1f, %,.0f (%,.0f) | %,d KiB |%n",
                    r.setting, r.n, r.formedSeconds, r.formationSpeed, r.steadySpeed, r.stormCpuMicrosPerNodeSecond,
                    r.cpuMicrosPerNodeSecond,
                    r.storm.packets(), r.storm.bytes() + r.storm.streamBytes(), r.storm.streamBytes(),
                    r.steady.packets(), r.steady.bytes() + r.steady.streamBytes(), r.steady.streamBytes(),
                    r.heapBytesPerNode / 1024));
        }
        return sb.toString();
    }
}
