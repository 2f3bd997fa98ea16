package dev.gossip.lab;

import static dev.gossip.lab.Findings.secs;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Scenario 2: random loss on every link of a 10-node Java cluster, 10 % for five minutes (no
 * false failure, no flap), then 30 % for a minute (reported), then none (it converges). It mostly
 * waits, so it runs beside the other scenarios.
 */
@Execution(ExecutionMode.CONCURRENT)
class LossLabTest {

    private static final Duration TEN_PERCENT = Duration.ofMinutes(5);
    private static final Duration THIRTY_PERCENT = Duration.ofMinutes(1);
    /** A refuting alive ends any suspicion the loss left behind: measured 0.1 s. */
    private static final long CONVERGE_BOUND_MS = 2_000;

    @Test
    void tenPercentLossCausesNoFalseFailureAndThirtyIsReported() throws Exception {
        Findings findings = new Findings("2 loss on every link (10 Java)");
        long tenFrom;
        long tenTo;
        long thirtyTo;
        History.Snapshot run;
        Lab lab = Lab.open("loss", "ls", 3, false);
        try (lab) {
            List<Node> all = lab.cluster(10, 0);

            Lab.Window ten = lab.loss(all, 0.10);
            tenFrom = lab.history.now();
            Lab.sleep(TEN_PERCENT);
            ten.end();
            tenTo = lab.history.now();
            Lab.Window thirty = lab.loss(all, 0.30);
            Lab.sleep(THIRTY_PERCENT);
            thirty.end();
            thirtyTo = lab.history.now();
            Lab.await(() -> lab.allSee(all, all, "alive"), Duration.ofSeconds(30));
            Lab.sleep(Duration.ofSeconds(1));
            run = lab.history.snapshot();
        }

        Predicate<Checker.Sighting> inTen = x -> x.t() >= tenFrom && x.t() < tenTo;
        Predicate<Checker.Sighting> inThirty = x -> x.t() >= tenTo && x.t() < thirtyTo;
        List<Checker.Sighting> failures = Checker.falseFailures(run, Set.of());
        List<Checker.Sighting> suspicions = Checker.falseSuspicions(run, Set.of());
        List<Checker.Flap> flaps = Checker.flaps(run, Set.of());
        findings.none("10 % for " + TEN_PERCENT.toMinutes() + " min: false failures",
                failures.stream().filter(inTen).toList());
        findings.none("10 %: flaps", flaps.stream().filter(f -> f.failedAt() >= tenFrom && f.failedAt() < tenTo).toList());
        findings.report("10 %: suspicions (refuted)", Long.toString(suspicions.stream().filter(inTen).count()));
        findings.report("30 % for " + THIRTY_PERCENT.toSeconds() + " s: false failures / flaps / suspicions",
                failures.stream().filter(inThirty).count() + " / "
                        + flaps.stream().filter(f -> f.failedAt() >= tenTo && f.failedAt() < thirtyTo).count() + " / "
                        + suspicions.stream().filter(inThirty).count());
        long converged = Checker.convergence(run, thirtyTo, Lab.observers(run)).orElse(Long.MAX_VALUE);
        findings.measure("loss removed: every view complete", converged == Long.MAX_VALUE ? "never" : secs(converged),
                "≤ " + secs(CONVERGE_BOUND_MS), converged <= CONVERGE_BOUND_MS);
        findings.invariants(run);
        Timeline.write(lab.dir.resolve("timeline.svg"), "10 % then 30 % loss on every link: each observer's view of j1",
                run, "j1", Lab.names(lab.nodes()));
        findings.assertAllHeld();
    }
}
