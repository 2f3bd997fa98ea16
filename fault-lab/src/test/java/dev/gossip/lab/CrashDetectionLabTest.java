package dev.gossip.lab;

import static dev.gossip.lab.Findings.secs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: kill -9 in a 12-host cluster of 8 Java lab nodes and 4 serf agents, side by side
 * with a 12-host serf-only cluster as the baseline. Each round kills a Java node in the mixed
 * cluster and a serf agent in the baseline at the same instant; a last round kills a serf agent
 * in the mixed cluster. Detection is crash → every live observer shows the victim failed.
 */
class CrashDetectionLabTest {

    private static final int ROUNDS = 5;
    /**
     * Measured 5.5 to 6.3 s on LAN timings: a probe finds the victim within about a second, and
     * with Lifeguard's two confirmations the suspicion times out after its minimum, 4.3 s at N=12.
     */
    private static final long DETECTION_BOUND_MS = 12_000;
    /**
     * Both implementations run the same protocol with the same timings, so their medians differ by
     * where in its probe cycle each observer was at each kill, and by the CPU the JVMs share with
     * the scenario beside this one. Over four runs of five kills each, Java's median minus serf's
     * was -0.4, +0.3, +0.6 and +1.2 s; single kills spread over 5.5 to 8.5 s on both sides. Java is
     * asserted no slower than serf by more than two probe intervals; the report shows both medians.
     */
    private static final long PROBE_PHASE_MS = 2_000;

    @Test
    void everyoneDetectsACrashAndJavaIsNoSlowerThanSerf() throws Exception {
        Findings findings = new Findings("1 crash (8 Java + 4 serf, serf-only baseline)");
        List<Long> javaTimes = new ArrayList<>();
        List<Long> serfTimes = new ArrayList<>();
        List<Kill> javaKills = new ArrayList<>();
        List<Kill> baselineKills = new ArrayList<>();
        Kill serfInMixed;
        History.Snapshot mixedRun;
        History.Snapshot baselineRun;
        Lab mixed = Lab.open("crash", "cr", 1, true);
        Lab baseline = Lab.open("crash-serf-baseline", "cb", 2, true);
        try (mixed; baseline) {
            Node j1 = mixed.java("j1");
            Node b1 = baseline.serf("b1");
            for (int i = 2; i <= 12; i++) {
                if (i <= 8) {
                    mixed.java("j" + i, j1);
                } else {
                    mixed.serf("s" + (i - 8), j1);
                }
                baseline.serf("b" + i, b1);
            }
            mixed.awaitFormed(Duration.ofSeconds(60));
            baseline.awaitFormed(Duration.ofSeconds(60));

            for (int r = 0; r < ROUNDS; r++) {
                // j3..j7 and b3, b5 .. b11: the seeds (j1, b1) and a few others stay up throughout.
                Node jv = mixed.node("j" + (3 + r));
                Node bv = baseline.node("b" + (3 + 2 * r));
                Kill jk = new Kill(mixed, jv);
                Kill bk = new Kill(baseline, bv);
                jk.await();
                bk.await();
                javaKills.add(jk);
                baselineKills.add(bk);
            }
            serfInMixed = new Kill(mixed, mixed.node("s3"));
            serfInMixed.await();
            mixedRun = mixed.history.snapshot();
            baselineRun = baseline.history.snapshot();
        }

        for (Kill k : javaKills) {
            javaTimes.add(k.measure(findings, mixedRun, "Java node"));
        }
        for (Kill k : baselineKills) {
            serfTimes.add(k.measure(findings, baselineRun, "serf agent, serf-only baseline"));
        }
        serfInMixed.measure(findings, mixedRun, "serf agent in the mixed cluster");
        long javaMedian = median(javaTimes);
        long serfMedian = median(serfTimes);
        findings.measure("median detection: Java in mixed vs serf baseline", secs(javaMedian) + " vs " + secs(serfMedian),
                "Java ≤ serf + " + secs(PROBE_PHASE_MS) + " (two probe intervals)", javaMedian <= serfMedian + PROBE_PHASE_MS);
        Set<String> killed = new HashSet<>();
        javaKills.forEach(k -> killed.add(k.victim));
        killed.add(serfInMixed.victim);
        findings.noFalseFailures(mixedRun, killed);
        findings.invariants(mixedRun);
        Set<String> baselineKilled = new HashSet<>();
        baselineKills.forEach(k -> baselineKilled.add(k.victim));
        findings.none("false failures (baseline)", Checker.falseFailures(baselineRun, baselineKilled));
        Timeline.write(mixed.dir.resolve("timeline.svg"), "kill -9 of " + javaKills.get(0).victim
                + ": each observer's view (8 Java + 4 serf)", mixedRun, javaKills.get(0).victim, Lab.names(mixed.nodes()));
        findings.assertAllHeld();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** One kill: the victim, when, and who was alive to see it. */
    private static final class Kill {
        final Lab lab;
        final String victim;
        final long at;
        final Set<String> observers = new HashSet<>();
        final List<Node> live = new ArrayList<>();
        final Node node;

        Kill(Lab lab, Node victim) {
            this.lab = lab;
            this.node = victim;
            this.victim = victim.name;
            for (Node n : lab.nodes()) {
                if (n != victim && n.running()) {
                    observers.add(n.name);
                    live.add(n);
                }
            }
            lab.kill(victim);
            this.at = lab.history.now();
        }

        void await() {
            Lab.await(() -> lab.allSee(live, List.of(node), "failed"), Duration.ofMillis(DETECTION_BOUND_MS * 2));
        }

        long measure(Findings findings, History.Snapshot run, String what) {
            Detection d = Checker.detection(run, victim, at, observers);
            long all = d.byAll().orElse(Long.MAX_VALUE);
            findings.measure("kill -9 of " + what + " " + victim + ": failed at all " + observers.size() + " observers",
                    all == Long.MAX_VALUE ? "missed by " + d.missed() : secs(all) + " (median observer "
                            + secs(d.median().orElse(0)) + ")", "≤ " + secs(DETECTION_BOUND_MS), all <= DETECTION_BOUND_MS);
            return all;
        }
    }
}
