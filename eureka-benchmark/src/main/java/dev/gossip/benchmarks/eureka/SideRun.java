package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One side's run: a fresh cluster (greeter-1 and a frontend, with the request loop on), then the
 * phases, then everything stopped. Holds what the phases share: the cluster, the traffic, the
 * greeters currently serving and the marks.
 */
final class SideRun {

    /** Before a phase: every greeter has answered, and nothing failed for this long. */
    private static final Duration STEADY = Duration.ofSeconds(5);

    final Cluster cluster;
    final Options options;
    final long originNanos = System.nanoTime();
    final List<Mark> marks = Collections.synchronizedList(new ArrayList<>());
    final List<Child> greeters = new ArrayList<>();
    /** Greeter instance id → greeter name, for the chart's legend. */
    final Map<String, String> names = new ConcurrentHashMap<>();
    final List<String> notes = new ArrayList<>();
    Traffic traffic;
    Child frontend;
    private int nextGreeter = 1;

    SideRun(Cluster cluster, Options options) {
        this.cluster = cluster;
        this.options = options;
    }

    /**
     * Runs the side to its end, or as far as it gets: an exception (a greeter that never gets
     * ready, say) ends the side, is recorded in its result, and the next side still runs.
     */
    SideResult run() throws InterruptedException {
        SideResult result = new SideResult(cluster.name(), originNanos);
        try {
            setUp();
            result.newInstance = new NewInstancePhase(this).run();
            awaitSteady("before phase 3");
            result.rollingRestart = new RollingRestartPhase(this).run();
            awaitSteady("before phase 2");
            result.kill = new KillPhase(this).run();
        } catch (Exception e) {
            result.error = e.toString();
            System.out.printf("  [%s] FAILED: %s%n", cluster.name(), e);
            e.printStackTrace(System.out);
        } finally {
            mark("stop", true);
            if (traffic != null) {
                traffic.close();
            }
            cluster.stopAll();
        }
        result.endNanos = System.nanoTime();
        result.calls = traffic == null ? List.of() : traffic.calls();
        result.marks = List.copyOf(marks);
        result.names = Map.copyOf(names);
        result.notes = List.copyOf(notes);
        return result;
    }

    private void setUp() throws IOException, InterruptedException {
        mark("setup", true);
        cluster.startInfrastructure();
        launchGreeter(options.setupCap());
        frontend = cluster.launchFrontend("frontend-1");
        if (!frontend.awaitReady(options.setupCap())) {
            throw new IllegalStateException("frontend-1 did not get ready; see " + frontend.log());
        }
        mark("frontend-1 ready", false);
        traffic = new Traffic(frontend.httpPort(), options.rps());
        traffic.start();
        if (!awaitSteady(options.setupCap())) {
            throw new IllegalStateException("the frontend was not served by greeter-1 within " + options.setupCap());
        }
        note("setup: frontend served by greeter-1 %.1f s after the frontend was ready",
                seconds(frontend.readyNanos(), traffic.firstAnsweredBy(greeters.get(0).identity()).orElseThrow().endNanos()));
    }

    /** Launches the next greeter-N and waits for its readiness (and learns its instance id). */
    Child launchGreeter(Duration readyCap) throws IOException, InterruptedException {
        Child greeter = cluster.launchGreeter("greeter-" + nextGreeter++);
        if (!greeter.awaitReady(readyCap)) {
            throw new IllegalStateException(greeter.name() + " did not get ready within " + readyCap + "; see " + greeter.log());
        }
        mark(greeter.name() + " ready", false);
        for (int i = 0; i < 50 && greeter.identity() == null; i++) {
            Thread.sleep(100);
        }
        if (greeter.identity() == null) {
            throw new IllegalStateException(greeter.name() + " is ready but /greeting does not answer; see " + greeter.log());
        }
        names.put(greeter.identity(), greeter.name());
        note("%s ready %.1f s after launch", greeter.name(), seconds(greeter.launchedNanos(), greeter.readyNanos()));
        greeters.add(greeter);
        return greeter;
    }

    /** Between phases: at least {@link #STEADY} of calm, so that every phase starts from the same state. */
    private void awaitSteady(String when) throws InterruptedException {
        Thread.sleep(STEADY.toMillis());
        if (!awaitSteady(options.settleCap())) {
            note("%s: not steady within %s (a greeter not answering, or calls failing); went on", when, options.settleCap());
        }
    }

    /** Until every serving greeter has answered through the frontend and nothing failed for {@link #STEADY}. */
    boolean awaitSteady(Duration cap) throws InterruptedException {
        long deadline = System.nanoTime() + cap.toNanos();
        while (System.nanoTime() < deadline) {
            boolean allServed = greeters.stream().allMatch(g -> traffic.firstAnsweredBy(g.identity()).isPresent());
            long quietSince = traffic.lastFailureSince(originNanos).map(Call::endNanos).orElse(originNanos);
            if (allServed && System.nanoTime() - quietSince >= STEADY.toNanos()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    void mark(String label, boolean phase) {
        marks.add(new Mark(System.nanoTime(), label, phase));
        System.out.printf("  [%s] %6.1f s  %s%n", cluster.name(), seconds(originNanos, System.nanoTime()), label);
    }

    void note(String format, Object... args) {
        String note = String.format(format, args);
        notes.add(note);
        System.out.printf("  [%s] note: %s%n", cluster.name(), note);
    }

    static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }
}
