package dev.gossip.lab;

import static dev.gossip.lab.Findings.secs;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: a one-way partition in a cluster of 8 Java nodes and 2 serf agents: j1 hears
 * nothing from j5, j6 and s2 for 40 s, while they still hear j1 and everyone else hears everyone.
 * Indirect probes through the others should keep everyone alive; whatever each side believes is
 * reported, and after the heal the views must be whole again (no permanent split).
 */
class OneWayPartitionLabTest {

    private static final Duration CUT = Duration.ofSeconds(40);
    /**
     * Indirect probes route around the cut, so nobody is suspected and there is nothing to heal:
     * measured 0.1 s. A suspicion that slipped through would be refuted within a couple of seconds.
     */
    private static final long HEAL_BOUND_MS = 5_000;

    @Test
    void aNodeThatCannotHearSomeStillConvergesAfterwards() throws Exception {
        Findings findings = new Findings("5 one-way partition: j1 cannot hear j5, j6, s2 for 40 s");
        Lab lab = Lab.open("oneway", "ow", 6, true);
        long from;
        long healedAt;
        History.Snapshot run;
        Set<String> silenced = Set.of("j5", "j6", "s2");
        try (lab) {
            lab.cluster(8, 2);
            Node j1 = lab.node("j1");
            Lab.Window cut = lab.oneWay(j1, silenced.stream().map(lab::node).toList());
            from = lab.history.now();
            Lab.sleep(CUT);
            cut.end();
            healedAt = lab.history.now();
            List<Node> all = lab.nodes();
            Lab.await(() -> lab.allSee(all, all, "alive"), Duration.ofMillis(HEAL_BOUND_MS * 2));
            Lab.sleep(Duration.ofSeconds(1));
            run = lab.history.snapshot();
        }

        long to = healedAt;
        List<Checker.Sighting> suspicions = Checker.falseSuspicions(run, Set.of()).stream()
                .filter(x -> x.t() >= from && x.t() < to).toList();
        List<Checker.Sighting> failures = Checker.falseFailures(run, Set.of()).stream()
                .filter(x -> x.t() >= from && x.t() < to).toList();
        findings.report("j1's view of j5, j6, s2: suspicions / failures",
                count(suspicions, "j1", silenced) + " / " + count(failures, "j1", silenced));
        findings.report("others' view of j1: suspicions / failures",
                suspicions.stream().filter(x -> x.member().equals("j1")).count() + " / "
                        + failures.stream().filter(x -> x.member().equals("j1")).count());
        findings.report("any other suspicions / failures",
                suspicions.stream().filter(x -> !isPair(x, silenced)).count() + " / "
                        + failures.stream().filter(x -> !isPair(x, silenced)).count());
        Set<String> everyone = Lab.observers(run);
        long healed = Checker.convergence(run, healedAt, everyone).orElse(Long.MAX_VALUE);
        findings.measure("after the heal, every view complete", healed == Long.MAX_VALUE ? "never (permanent split)" : secs(healed),
                "≤ " + secs(HEAL_BOUND_MS), healed <= HEAL_BOUND_MS);
        findings.invariants(run);
        Timeline.write(lab.dir.resolve("timeline.svg"), "j1 cannot hear j5, j6, s2 for 40 s: each observer's view of j1",
                run, "j1", Lab.names(lab.nodes()));
        findings.assertAllHeld();
    }

    private static long count(List<Checker.Sighting> sightings, String observer, Set<String> members) {
        return sightings.stream().filter(x -> x.observer().equals(observer) && members.contains(x.member())).count();
    }

    /** j1 about the silenced, or anyone about j1: the pairs the cut is between. */
    private static boolean isPair(Checker.Sighting x, Set<String> silenced) {
        return x.member().equals("j1") || (x.observer().equals("j1") && silenced.contains(x.member()));
    }
}
