package dev.gossip.lab;

import static dev.gossip.lab.Findings.secs;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: a symmetric partition 6 | 6 of 8 Java nodes and 4 serf agents (each side mixed) for
 * 60 s, then heal. Each side marks the other failed; after the heal every view is complete again
 * with no manual join: Serf's reconnect (every 30 s, it tries a failed member) and push/pull
 * bring the sides back together.
 */
class PartitionLabTest {

    private static final Duration PARTITION = Duration.ofSeconds(60);
    /**
     * Measured 5.5 to 17.8 s: with six members gone at once, each is probed less often and
     * confirmations come slower, so some suspicions run towards their 26 s maximum (Lifeguard).
     */
    private static final long DETECTION_BOUND_MS = 30_000;
    /**
     * Serf's reconnect tries a failed member every 30 s on every node, so the first try after the
     * heal comes within 30 s / 12 on average (measured 0.6 s) and at worst after 30 s; one
     * successful push/pull then spreads the other side in a few gossip rounds. The bound is that
     * worst case: the phase of twelve timers is not something a run controls.
     */
    private static final long HEAL_BOUND_MS = 35_000;

    @Test
    void eachSideFailsTheOtherAndTheClusterHealsByItself() throws Exception {
        Findings findings = new Findings("4 partition 6 | 6 for 60 s (8 Java + 4 serf)");
        Lab lab = Lab.open("partition", "pt", 5, true);
        long from;
        long healedAt;
        List<Node> a;
        List<Node> b;
        History.Snapshot run;
        try (lab) {
            lab.cluster(8, 4);
            a = List.of(lab.node("j1"), lab.node("j2"), lab.node("j3"), lab.node("j4"), lab.node("s1"), lab.node("s2"));
            b = List.of(lab.node("j5"), lab.node("j6"), lab.node("j7"), lab.node("j8"), lab.node("s3"), lab.node("s4"));
            Lab.Window cut = lab.partition(a, b);
            from = lab.history.now();
            Lab.sleep(PARTITION);
            cut.end();
            healedAt = lab.history.now();
            List<Node> all = lab.nodes();
            Lab.await(() -> lab.allSee(all, all, "alive"), Duration.ofMillis(HEAL_BOUND_MS * 2));
            Lab.sleep(Duration.ofSeconds(1));
            run = lab.history.snapshot();
        }

        long slowest = 0;
        List<String> missed = new java.util.ArrayList<>();
        for (List<List<Node>> sides : List.of(List.of(a, b), List.of(b, a))) {
            Set<String> observers = new HashSet<>(Lab.names(sides.get(0)));
            for (Node victim : sides.get(1)) {
                Detection d = Checker.detection(run, victim.name, from, observers);
                d.missed().forEach(o -> missed.add(o + " missed " + victim.name));
                slowest = Math.max(slowest, d.max().orElse(0));
            }
        }
        findings.measure("each side sees every node of the other failed", missed.isEmpty() ? "after " + secs(slowest) : missed.toString(),
                "≤ " + secs(DETECTION_BOUND_MS), missed.isEmpty() && slowest <= DETECTION_BOUND_MS);
        Set<String> everyone = new HashSet<>(Lab.names(a));
        everyone.addAll(Lab.names(b));
        long healed = Checker.convergence(run, healedAt, everyone).orElse(Long.MAX_VALUE);
        findings.measure("after the heal, every view complete (no manual join)",
                healed == Long.MAX_VALUE ? "never" : secs(healed), "≤ " + secs(HEAL_BOUND_MS), healed <= HEAL_BOUND_MS);
        findings.none("false failures inside a side", Checker.falseFailures(run, Set.of()).stream()
                .filter(x -> Lab.names(a).contains(x.observer()) == Lab.names(a).contains(x.member())).toList());
        findings.invariants(run);
        Timeline.write(lab.dir.resolve("timeline.svg"), "partition j1-j4,s1,s2 | j5-j8,s3,s4 for 60 s: each observer's view of j5",
                run, "j5", Lab.names(lab.nodes()));
        findings.assertAllHeld();
    }
}
