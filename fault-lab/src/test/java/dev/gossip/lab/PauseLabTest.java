package dev.gossip.lab;

import static dev.gossip.lab.Findings.secs;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: SIGSTOP of a Java node (a GC pause, a frozen VM) in a cluster of 8 Java nodes and 2
 * serf agents. Paused 5 s, nobody else may be declared failed (Lifeguard: the node that wakes up
 * with stale timers must not accuse the others) and the paused node is alive everywhere soon
 * after it resumes, having refuted any suspicion. Paused 30 s, it is declared failed, then alive
 * again after it resumes, with a higher incarnation, and nobody resurrects.
 */
class PauseLabTest {

    /**
     * As a crash, the paused node answers nothing: measured 5.8 s, and 10.5 s in a run beside the
     * loss scenario's ten JVMs (confirmations came later).
     */
    private static final long DETECTION_BOUND_MS = 15_000;
    /**
     * Back alive everywhere after SIGCONT: measured 0.2 to 0.4 s. The woken node hears the
     * accusations about it (gossip to the dead) and refutes; the refutation spreads in a few rounds.
     */
    private static final long BACK_BOUND_MS = 2_000;

    @Test
    void shortPauseFailsNobodyAndLongPauseFailsOnlyThePausedNode() throws Exception {
        Findings findings = new Findings("3 pause (8 Java + 2 serf)");
        Lab lab = Lab.open("pause", "pa", 4, true);
        long shortFrom;
        long shortTo;
        long longFrom;
        long longTo;
        long j3Before;
        long j6Before;
        History.Snapshot run;
        Set<String> observers = new HashSet<>();
        try (lab) {
            lab.cluster(8, 2);
            Node j1 = lab.node("j1");
            Node shortVictim = lab.node("j3");
            Node longVictim = lab.node("j6");
            List<Node> others = lab.nodes().stream().filter(n -> n != longVictim).toList();
            others.forEach(n -> observers.add(n.name));

            j3Before = lab.viewOf(j1).get("j3").incarnation();
            Lab.Window pause = lab.pause(shortVictim);
            shortFrom = lab.history.now();
            Lab.sleep(Duration.ofSeconds(5));
            pause.end();
            shortTo = lab.history.now();
            Lab.await(() -> lab.allSee(lab.nodes(), lab.nodes(), "alive"), Duration.ofSeconds(20));
            Lab.sleep(Duration.ofSeconds(5)); // a late accusation from the woken node would show here

            j6Before = lab.viewOf(j1).get("j6").incarnation();
            pause = lab.pause(longVictim);
            longFrom = lab.history.now();
            Lab.await(() -> lab.allSee(others, List.of(longVictim), "failed"), Duration.ofMillis(DETECTION_BOUND_MS * 2));
            Lab.sleep(Duration.ofMillis(Math.max(0, 30_000 - (lab.history.now() - longFrom))));
            pause.end();
            longTo = lab.history.now();
            Lab.await(() -> lab.allSee(lab.nodes(), lab.nodes(), "alive"), Duration.ofMillis(BACK_BOUND_MS * 3));
            Lab.sleep(Duration.ofSeconds(2));
            run = lab.history.snapshot();
        }

        // 5 s pause
        long shortEnd = longFrom;
        findings.none("5 s pause: false failures (anyone but j3)",
                Checker.falseFailures(run, Set.of("j3")).stream().filter(x -> x.t() >= shortFrom && x.t() < shortEnd).toList());
        long suspectedBy = Checker.falseSuspicions(run, Set.of()).stream()
                .filter(x -> x.member().equals("j3") && x.t() >= shortFrom && x.t() < shortEnd).map(Checker.Sighting::observer)
                .distinct().count();
        long failedBy = Checker.falseFailures(run, Set.of()).stream()
                .filter(x -> x.member().equals("j3") && x.t() >= shortFrom && x.t() < shortEnd).map(Checker.Sighting::observer)
                .distinct().count();
        findings.report("5 s pause: observers that suspected / failed j3", suspectedBy + " / " + failedBy);
        Set<String> shortObservers = new HashSet<>(observers);
        shortObservers.add("j6");
        shortObservers.remove("j3");
        Detection shortBack = Checker.recovery(run, "j3", shortTo, shortObservers);
        long back3 = shortBack.byAll().orElse(Long.MAX_VALUE);
        findings.measure("5 s pause: j3 alive at all " + shortObservers.size() + " observers after SIGCONT",
                back3 == Long.MAX_VALUE ? "missed by " + shortBack.missed() : secs(back3), "≤ " + secs(BACK_BOUND_MS),
                back3 <= BACK_BOUND_MS);
        long j3After = incarnationAt(run, "j1", "j3", shortEnd - 1);
        findings.measure("5 s pause: j3's incarnation at j1 before → after", j3Before + " → " + j3After,
                suspectedBy > 0 ? "higher (it refuted)" : "(never suspected)", suspectedBy == 0 || j3After > j3Before);

        // 30 s pause
        Detection d = Checker.detection(run, "j6", longFrom, observers);
        long all = d.byAll().orElse(Long.MAX_VALUE);
        findings.measure("30 s pause: j6 failed at all " + observers.size() + " observers",
                all == Long.MAX_VALUE ? "missed by " + d.missed() : secs(all), "≤ " + secs(DETECTION_BOUND_MS),
                all <= DETECTION_BOUND_MS);
        Set<String> longObservers = new HashSet<>(observers);
        Detection longBack = Checker.recovery(run, "j6", longTo, longObservers);
        long back6 = longBack.byAll().orElse(Long.MAX_VALUE);
        findings.measure("30 s pause: j6 alive at all " + longObservers.size() + " observers after SIGCONT",
                back6 == Long.MAX_VALUE ? "missed by " + longBack.missed() : secs(back6), "≤ " + secs(BACK_BOUND_MS),
                back6 <= BACK_BOUND_MS);
        long j6After = incarnationAt(run, "j1", "j6", Long.MAX_VALUE);
        findings.measure("30 s pause: j6's incarnation at j1 before → after", j6Before + " → " + j6After, "higher",
                j6After > j6Before);
        findings.none("30 s pause: false failures (anyone but j6)",
                Checker.falseFailures(run, Set.of("j3", "j6")).stream().filter(x -> x.t() >= longFrom).toList());
        findings.invariants(run);
        Timeline.write(lab.dir.resolve("timeline.svg"), "SIGSTOP of j3 for 5 s, then of j6 for 30 s: each observer's view of j6",
                run, "j6", Lab.names(lab.nodes()));
        findings.assertAllHeld();
    }

    /** The incarnation {@code observer} last reported for {@code member} at or before {@code t}. */
    private static long incarnationAt(History.Snapshot run, String observer, String member, long t) {
        long inc = -1;
        for (History.Observation o : run.observations()) {
            if (o.t() > t) {
                break;
            }
            History.View v = o.observer().equals(observer) ? o.view().get(member) : null;
            if (v != null) {
                inc = v.incarnation();
            }
        }
        return inc;
    }
}
