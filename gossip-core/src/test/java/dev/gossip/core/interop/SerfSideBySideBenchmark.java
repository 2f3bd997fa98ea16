package dev.gossip.core.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Real {@code serf agent} processes and Java gossip nodes side by side (a benchmark main, not a
 * test): for each N, a cluster of N serf agents (serf's LAN defaults) and a separate cluster of N
 * Java nodes ({@code Profile.LAN}, the same timings) in this JVM, all on 127.0.0.1, run the same
 * phases K times each, alternating serf and Java run by run so that machine noise hits both alike.
 *
 * <ul>
 *   <li><b>join</b>: a fresh member joins one random member; time from issuing the join (RPC
 *       {@code join} / {@code joinAsync}) until the last of the N others reported it joined. It
 *       then leaves again, and the next run waits until everyone saw that.
 *   <li><b>crash</b>: kill -9 of a random member (SIGKILL of the agent; {@code shutdown()} without
 *       leave, after which a Java node answers nothing, like a killed process); time until the last
 *       survivor reported it failed. A fresh member (new name) takes its place.
 *   <li><b>leave</b>: a random member leaves gracefully (RPC {@code leave}; {@code leave()} then
 *       {@code shutdown()}); time until the last remaining member reported it left. Replaced too.
 *   <li><b>idle</b>, measured first, with both clusters formed and quiet: CPU per node over a
 *       window (serf: utime + stime of the agents from /proc; Java: this whole JVM's process CPU,
 *       which overstates the nodes' share) and memory per node (serf: median VmRSS of an agent;
 *       Java: used heap after GC minus before the nodes started, and this JVM's RSS, each ÷ N).
 *       To tell the nodes' own share, it also gives the CPU of their {@code gossip-*} threads and
 *       the JVM's JIT and GC time in the window.
 * </ul>
 *
 * <p>serf is timed twice. Its RPC {@code stream} is what a serf client or event handler gets, but
 * the agent coalesces member events before delivering them (serf's command/agent sets
 * CoalescePeriod 3 s, QuiescentPeriod 1 s), so each stream event comes at least a second after
 * serf changed the member's state. The agent logs {@code EventMember*} at that change, before
 * coalescing: read over RPC {@code monitor}, it is the time comparable to a Java listener, which
 * gets every event uncoalesced. Every report is stamped with {@code System.nanoTime()} on arrival
 * in this JVM. A run in which some member never reported within the timeout counts as a timeout.
 *
 * <p>Arguments: sizes ({@code 16,32} by default), {@code --runs=K} (10), {@code --settle=S} and
 * {@code --idle=S} seconds (20 each), {@code --timeout=S} per phase (60), {@code --out=DIR}
 * ({@code target/side-by-side}). Writes {@code results.md} and {@code serf-side-by-side-nN.svg}.
 */
final class SerfSideBySideBenchmark {

    private static final long SEED = 42;
    /** Gossip of the previous run (retransmits, intents) dies down before the next action. */
    private static final Duration PAUSE = Duration.ofSeconds(1);

    private SerfSideBySideBenchmark() {}

    enum Phase {
        JOIN("join", "joined"), CRASH("crash (kill -9)", "failed"), LEAVE("leave", "left");

        final String label;
        final String reported;

        Phase(String label, String reported) {
            this.label = label;
            this.reported = reported;
        }
    }

    record Options(List<Integer> sizes, int runs, int settleSeconds, int idleSeconds, int timeoutSeconds, Path out) {
        static Options parse(String[] args) {
            List<Integer> sizes = List.of(16, 32);
            int runs = 10;
            int settle = 20;
            int idle = 20;
            int timeout = 60;
            Path out = Path.of("target", "side-by-side");
            for (String a : args) {
                if (a.startsWith("--runs=")) {
                    runs = Integer.parseInt(a.substring(7));
                } else if (a.startsWith("--settle=")) {
                    settle = Integer.parseInt(a.substring(9));
                } else if (a.startsWith("--idle=")) {
                    idle = Integer.parseInt(a.substring(7));
                } else if (a.startsWith("--timeout=")) {
                    timeout = Integer.parseInt(a.substring(10));
                } else if (a.startsWith("--out=")) {
                    out = Path.of(a.substring(6));
                } else {
                    sizes = java.util.Arrays.stream(a.split(",")).map(String::trim).map(Integer::valueOf).toList();
                }
            }
            return new Options(sizes, runs, settle, idle, timeout, out);
        }
    }

    record Idle(double seconds, double serfCpuPercent, double javaCpuPercent, double javaThreadsCpuPercent,
                long jitMillis, long gcMillis, long serfRssMedian, long javaHeapPerNode, long jvmRssPerNode) {}

    record SizeResult(int n, int runs, Map<Phase, Map<Arrivals.Source, PhaseStats>> stats, Idle idle) {}

    /** One cluster and the driver's view of it: its live members, and its own random choices. */
    private static final class Side {
        final BenchCluster cluster;
        final String prefix;
        final List<String> alive = new ArrayList<>();
        final Random random = new Random(SEED); // same seed: both sides pick the same positions

        Side(BenchCluster cluster, String prefix) {
            this.cluster = cluster;
            this.prefix = prefix;
        }

        String pick() {
            return alive.get(random.nextInt(alive.size()));
        }

        String take() {
            return alive.remove(random.nextInt(alive.size()));
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (SerfBinary.path() == null) {
            System.err.println("serf binary not found on PATH");
            System.exit(2);
        }
        // Every agent is a child of this JVM: kill them however the run ends.
        Runtime.getRuntime().addShutdownHook(new Thread(SerfSideBySideBenchmark::killChildren, "kill-serf-agents"));
        long started = System.nanoTime();
        try {
            Files.createDirectories(o.out());
            List<SizeResult> results = new ArrayList<>();
            for (int n : o.sizes()) {
                SizeResult r = runSize(n, o);
                results.add(r);
                String table = table(r, o);
                System.out.println();
                System.out.print(table);
                Files.writeString(o.out().resolve("results.md"), markdown(results, o), StandardCharsets.UTF_8);
                Path chart = o.out().resolve("serf-side-by-side-n" + n + ".svg");
                Files.writeString(chart, chart(r), StandardCharsets.UTF_8);
                System.out.println("wrote " + chart + " and " + o.out().resolve("results.md"));
            }
        } finally {
            killChildren();
            System.out.printf(Locale.ROOT, "total time: %.1f min%n", (System.nanoTime() - started) / 60e9);
        }
    }

    private static void killChildren() {
        ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
    }

    private static SizeResult runSize(int n, Options o) throws Exception {
        Arrivals arrivals = new Arrivals();
        Map<Phase, Map<Arrivals.Source, PhaseStats>> stats = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            Map<Arrivals.Source, PhaseStats> m = new EnumMap<>(Arrivals.Source.class);
            for (Arrivals.Source s : Arrivals.Source.values()) {
                m.put(s, new PhaseStats());
            }
            stats.put(p, m);
        }
        try (SerfBenchCluster serfCluster = new SerfBenchCluster(arrivals)) {
            Side serf = new Side(serfCluster, "serf-" + n + "-");
            log("N=%d: starting %d serf agents", n, n);
            form(serf, n);
            // after the agents and their RPC taps, so the Java heap baseline holds those already
            JavaBenchCluster javaCluster = new JavaBenchCluster(arrivals);
            try (javaCluster) {
                Side java = new Side(javaCluster, "java-" + n + "-");
                log("N=%d: starting %d Java nodes", n, n);
                form(java, n);
                Idle idle = idle(serfCluster, javaCluster, n, o);
                for (Phase phase : Phase.values()) {
                    for (int r = 0; r < o.runs(); r++) {
                        List<Side> order = r % 2 == 0 ? List.of(serf, java) : List.of(java, serf);
                        for (Side side : order) {
                            Thread.sleep(PAUSE.toMillis());
                            runOnce(phase, side, arrivals, n, r, o, stats.get(phase));
                        }
                    }
                }
                return new SizeResult(n, o.runs(), stats, idle);
            }
        }
    }

    /** Starts N members, each joining the first, and waits until every one sees N alive. */
    private static void form(Side side, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String name = String.format(Locale.ROOT, "%s%02d", side.prefix, i);
            side.cluster.start(name);
            if (i > 0) {
                side.cluster.join(name, side.alive.get(0));
            }
            side.alive.add(name);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String m : side.alive) {
            while (side.cluster.aliveSeenBy(m) != n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(side.cluster.label() + " cluster of " + n + " did not form: "
                            + m + " sees " + side.cluster.aliveSeenBy(m) + " alive");
                }
                Thread.sleep(250);
            }
        }
    }

    private static Idle idle(SerfBenchCluster serf, JavaBenchCluster java, int n, Options o) throws Exception {
        log("N=%d: both clusters formed; %d s to settle, then a %d s idle window", n, o.settleSeconds(), o.idleSeconds());
        Thread.sleep(o.settleSeconds() * 1000L);
        long wall0 = System.nanoTime();
        long serf0 = serf.cpuNanos();
        long java0 = java.cpuNanos();
        long threads0 = java.nodeThreadsCpuNanos();
        long[] jitGc0 = JavaBenchCluster.jitAndGcMillis();
        Thread.sleep(o.idleSeconds() * 1000L);
        long[] jitGc1 = JavaBenchCluster.jitAndGcMillis();
        long threads1 = java.nodeThreadsCpuNanos();
        long java1 = java.cpuNanos();
        long serf1 = serf.cpuNanos();
        long wall = System.nanoTime() - wall0;
        long serfRss = serf.medianRssBytes();
        long jvmRss = ProcFs.rssBytes("self") / n;
        long heap = java.heapBytesPerNode();
        Idle idle = new Idle(wall / 1e9, 100.0 * (serf1 - serf0) / wall / n, 100.0 * (java1 - java0) / wall / n,
                100.0 * (threads1 - threads0) / wall / n, jitGc1[0] - jitGc0[0], jitGc1[1] - jitGc0[1],
                serfRss, heap, jvmRss);
        log("N=%d idle: CPU serf %.2f %%, Java %.2f %% (node threads %.2f %%) of a core per node, JIT %d ms, GC %d ms;"
                + " serf RSS %s, Java heap %s, JVM RSS/N %s", n, idle.serfCpuPercent(), idle.javaCpuPercent(),
                idle.javaThreadsCpuPercent(), idle.jitMillis(), idle.gcMillis(), mib(serfRss), mib(heap), mib(jvmRss));
        return idle;
    }

    private static void runOnce(Phase phase, Side side, Arrivals arrivals, int n, int r, Options o,
                                Map<Arrivals.Source, PhaseStats> stats) {
        BenchCluster c = side.cluster;
        String subject = null;
        try {
            switch (phase) {
                case JOIN -> {
                    subject = side.prefix + "join-" + r;
                    c.start(subject);
                    arrivals.watch(subject);
                    List<String> observers = List.copyOf(side.alive);
                    long t0 = c.join(subject, side.pick());
                    measure(phase, side, arrivals, observers, subject, false, t0, r, o, stats);
                    // back to N members before the next run
                    c.leave(subject);
                    settle(side, arrivals, observers, subject, true, o);
                    c.awaitStopped(subject);
                }
                case CRASH -> {
                    subject = side.take();
                    arrivals.watch(subject);
                    long t0 = c.crash(subject);
                    measure(phase, side, arrivals, side.alive, subject, true, t0, r, o, stats);
                    replace(side, arrivals, side.prefix + "crash-new-" + r, o);
                }
                case LEAVE -> {
                    subject = side.take();
                    arrivals.watch(subject);
                    long t0 = c.leave(subject);
                    measure(phase, side, arrivals, side.alive, subject, true, t0, r, o, stats);
                    c.awaitStopped(subject);
                    replace(side, arrivals, side.prefix + "leave-new-" + r, o);
                }
            }
        } catch (Exception e) {
            for (Arrivals.Source s : c.sources()) {
                stats.get(s).errors++;
            }
            System.err.println("N=" + n + " " + phase.label + " " + c.label() + " run " + (r + 1) + " failed: " + e);
            e.printStackTrace();
        } finally {
            if (subject != null) {
                arrivals.unwatch(subject);
            }
        }
    }

    private static void measure(Phase phase, Side side, Arrivals arrivals, List<String> observers, String subject,
                                boolean gone, long t0, int r, Options o, Map<Arrivals.Source, PhaseStats> stats)
            throws InterruptedException {
        long deadline = t0 + Duration.ofSeconds(o.timeoutSeconds()).toNanos();
        List<String> observed = List.copyOf(observers);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "N=%d %-15s %-4s run %2d:",
                observed.size() + (phase == Phase.JOIN ? 0 : 1), phase.label, side.cluster.label(), r + 1));
        for (Arrivals.Source source : side.cluster.sources()) {
            Arrivals.Outcome out = arrivals.await(source, observed, subject, gone, deadline);
            PhaseStats ps = stats.get(source);
            if (!out.complete()) {
                ps.timeouts++;
                line.append(String.format(Locale.ROOT, "  %s TIMEOUT (%d of %d never reported)", source.label,
                        out.missing(), observed.size()));
                continue;
            }
            double ms = (out.lastNanos() - t0) / 1e6;
            ps.millis.add(ms);
            Arrivals.Kind expected = phase == Phase.CRASH ? Arrivals.Kind.FAILED
                    : phase == Phase.LEAVE ? Arrivals.Kind.LEAVE : Arrivals.Kind.JOIN;
            boolean odd = !out.kinds().equals(Set.of(expected));
            if (odd) {
                ps.odd++;
            }
            line.append(String.format(Locale.ROOT, "  %s %.0f ms%s", source.label, ms, odd ? " " + out.kinds() : ""));
        }
        System.out.println(line);
    }

    /** Waits (not measured) until every observer reported on the slowest source; warns if not. */
    private static void settle(Side side, Arrivals arrivals, List<String> observers, String subject, boolean gone,
                               Options o) throws InterruptedException {
        List<Arrivals.Source> sources = side.cluster.sources();
        long deadline = System.nanoTime() + Duration.ofSeconds(o.timeoutSeconds()).toNanos();
        Arrivals.Outcome out = arrivals.await(sources.get(sources.size() - 1), observers, subject, gone, deadline);
        if (!out.complete()) {
            System.err.printf("warning: %d of %d %s members never reported %s %s%n", out.missing(), observers.size(),
                    side.cluster.label(), subject, gone ? "gone" : "joined");
        }
    }

    /** A fresh member joins in the place of one that crashed or left, so the next run starts at N. */
    private static void replace(Side side, Arrivals arrivals, String name, Options o) throws Exception {
        side.cluster.start(name);
        arrivals.watch(name);
        try {
            side.cluster.join(name, side.pick());
            settle(side, arrivals, side.alive, name, false, o);
        } finally {
            arrivals.unwatch(name);
        }
        side.alive.add(name);
    }

    // ---- output ----

    private static final List<Arrivals.Source> ROWS = List.of(Arrivals.Source.SERF_STREAM, Arrivals.Source.SERF_LOG,
            Arrivals.Source.JAVA);

    static String table(SizeResult r, Options o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "### N = %d%n%n", r.n()));
        s.append(String.format(Locale.ROOT, "%d runs per phase and cluster, serf and Java alternating. Times in ms from "
                + "the action (join issued, kill -9, leave issued) until the last of the other members reported it; "
                + "p90 is the nearest rank; timeouts (%d s) are counted, not timed.%n%n", r.runs(), o.timeoutSeconds()));
        s.append("| phase | reported by | done | timeouts | median | p90 | min | max | Java ÷ serf (medians) |\n");
        s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Phase p : Phase.values()) {
            Map<Arrivals.Source, PhaseStats> m = r.stats().get(p);
            double javaMedian = m.get(Arrivals.Source.JAVA).median();
            for (Arrivals.Source src : ROWS) {
                PhaseStats ps = m.get(src);
                String ratio = src == Arrivals.Source.JAVA ? "–" : num2(javaMedian / ps.median());
                String done = ps.millis.size() + "/" + ps.runs()
                        + (ps.odd > 0 ? " (" + ps.odd + " odd)" : "") + (ps.errors > 0 ? " (" + ps.errors + " errors)" : "");
                s.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s | %s | %s |%n", p.label,
                        rowLabel(src, p), done, ps.timeouts, num0(ps.median()), num0(ps.p90()), num0(ps.min()),
                        num0(ps.max()), ratio));
            }
        }
        Idle i = r.idle();
        s.append("\n| idle, per node | serf | Java |\n| --- | --- | --- |\n");
        s.append(String.format(Locale.ROOT, "| CPU, %% of one core (%.0f s window) | %.2f %% (agents' utime+stime ÷ %d) "
                + "| %.2f %% (whole JVM's process CPU ÷ %d); %.2f %% (the nodes' own `gossip-*` threads ÷ %d); "
                + "in the window the JVM spent %d ms compiling (JIT) and %d ms in GC |%n", i.seconds(),
                i.serfCpuPercent(), r.n(), i.javaCpuPercent(), r.n(), i.javaThreadsCpuPercent(), r.n(), i.jitMillis(),
                i.gcMillis()));
        s.append(String.format(Locale.ROOT, "| memory | %s RSS (median agent) | %s heap (used after GC, minus before "
                + "the nodes, ÷ %d); %s RSS (whole JVM ÷ %d) |%n", mib(i.serfRssMedian()), mib(i.javaHeapPerNode()),
                r.n(), mib(i.jvmRssPerNode()), r.n()));
        s.append("\n\"odd\": finished runs in which some member reported another kind of change than the phase's "
                + "(e.g. failed instead of left); their times are included.\n");
        return s.toString();
    }

    private static String rowLabel(Arrivals.Source src, Phase p) {
        return switch (src) {
            case SERF_STREAM -> "serf, RPC `stream` (`member-" + (p == Phase.JOIN ? "join" : p == Phase.CRASH
                    ? "failed" : "leave") + "`, after the agent's coalescing)";
            case SERF_LOG -> "serf, agent log (`EventMember" + (p == Phase.JOIN ? "Join" : p == Phase.CRASH
                    ? "Failed" : "Leave") + "`, before coalescing)";
            case JAVA -> "Java, `GossipListener`";
        };
    }

    private static String markdown(List<SizeResult> results, Options o) {
        StringBuilder s = new StringBuilder("# SerfSideBySideBenchmark\n\n");
        s.append(String.format(Locale.ROOT, "%s; JDK %s; %d cores seen by the JVM; serf %s%n%n", LocalDate.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), serfVersion()));
        for (SizeResult r : results) {
            s.append(table(r, o)).append('\n');
        }
        s.append("## Raw times (ms, in run order)\n\n");
        for (SizeResult r : results) {
            for (Phase p : Phase.values()) {
                for (Arrivals.Source src : ROWS) {
                    s.append(String.format(Locale.ROOT, "- N=%d %s, %s: %s%n", r.n(), p.label, src.label,
                            r.stats().get(p).get(src).millis.stream().map(SerfSideBySideBenchmark::num0).toList()));
                }
            }
        }
        return s.toString();
    }

    private static String chart(SizeResult r) {
        List<CdfChart.Panel> panels = new ArrayList<>();
        for (Phase p : Phase.values()) {
            Map<Arrivals.Source, PhaseStats> m = r.stats().get(p);
            panels.add(new CdfChart.Panel(p.label + ": last member reports " + p.reported, List.of(
                    series("Java (listener)", "#1f77b4", null, m.get(Arrivals.Source.JAVA)),
                    series("serf (agent log, before coalescing)", "#d62728", null, m.get(Arrivals.Source.SERF_LOG)),
                    series("serf (RPC stream, coalesced by the agent)", "#d62728", "6,4",
                            m.get(Arrivals.Source.SERF_STREAM)))));
        }
        return CdfChart.svg(String.format(Locale.ROOT, "serf agents vs Java nodes, N = %d, LAN timings, 127.0.0.1",
                r.n()), String.format(Locale.ROOT, "Empirical CDF of %d runs per phase and cluster; a line that "
                + "stays below 1 had runs that timed out.", r.runs()), panels);
    }

    private static CdfChart.Series series(String label, String color, String dash, PhaseStats ps) {
        return new CdfChart.Series(label, color, dash, ps.millis, ps.runs());
    }

    private static String serfVersion() {
        try {
            Process p = new ProcessBuilder(SerfBinary.path(), "version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().findFirst().orElse("?").replace("Serf ", "").trim();
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static String num0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String num2(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / (1024.0 * 1024.0));
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
