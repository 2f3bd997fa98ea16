package dev.gossip.lab;

import static dev.gossip.lab.Findings.secs;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6: a node crashes and comes back at once under the same name on another host (a new
 * address), as a rescheduled container does, in a cluster of 8 Java nodes and 2 serf agents.
 * Everyone must follow it to the new address, and it must stay up: no name-conflict shutdown.
 */
class RestartLabTest {

    /**
     * Measured 3.4 s: the new life starts (a JVM on a loaded machine), finds its earlier life in
     * the cluster's state, pings it three times (1.5 s), then announces it gone and refutes.
     */
    private static final long FOLLOW_BOUND_MS = 7_000;

    @Test
    void everyoneFollowsARestartToItsNewAddress() throws Exception {
        Findings findings = new Findings("6 restart under the same name on a new address (8 Java + 2 serf)");
        Lab lab = Lab.open("restart", "rs", 7, true);
        History.Snapshot run;
        long restartedAt;
        String oldAddress;
        String newAddress;
        boolean stillUp;
        try (lab) {
            lab.cluster(8, 2);
            Node j1 = lab.node("j1");
            Node victim = lab.node("j4");
            oldAddress = victim.gossipAddress();
            lab.restart(victim, true, j1, lab.node("s1"));
            restartedAt = lab.history.now();
            newAddress = victim.gossipAddress();
            List<Node> all = lab.nodes();
            Lab.await(() -> followed(lab, all, victim), Duration.ofMillis(FOLLOW_BOUND_MS * 2));
            Lab.sleep(Duration.ofSeconds(20)); // a conflict resolution would shut it down in this time
            stillUp = victim.running();
            run = lab.history.snapshot();
        }

        Set<String> observers = new HashSet<>(Lab.observers(run));
        observers.remove("j4");
        long followed = Long.MAX_VALUE;
        java.util.Map<String, History.View> latest = new java.util.HashMap<>();
        for (History.Observation o : run.observations()) {
            if (observers.contains(o.observer())) {
                latest.put(o.observer(), o.view().get("j4"));
            }
            if (o.t() >= restartedAt && latest.size() == observers.size() && latest.values().stream()
                    .allMatch(v -> v != null && v.is("alive") && v.address().equals(newAddress))) {
                followed = o.t() - restartedAt;
                break;
            }
        }
        findings.measure("every observer sees j4 alive at its new address " + newAddress + " (was " + oldAddress + ")",
                followed == Long.MAX_VALUE ? "never" : secs(followed), "≤ " + secs(FOLLOW_BOUND_MS), followed <= FOLLOW_BOUND_MS);
        findings.measure("j4 still running 20 s later (no conflict shutdown)", Boolean.toString(stillUp), "true", stillUp);
        findings.noFalseFailures(run, Set.of("j4"));
        findings.invariants(run);
        Timeline.write(lab.dir.resolve("timeline.svg"), "j4 killed and restarted on a new address: each observer's view of j4",
                run, "j4", Lab.names(lab.nodes()));
        findings.assertAllHeld();
    }

    private static boolean followed(Lab lab, List<Node> all, Node victim) {
        for (Node n : all) {
            var view = lab.viewOf(n);
            var v = view == null ? null : view.get(victim.name);
            if (v == null || !v.is("alive") || !v.address().equals(victim.gossipAddress())) {
                return false;
            }
        }
        return true;
    }
}
