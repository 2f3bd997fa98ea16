package dev.gossip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.lab.Checker.Flap;
import dev.gossip.lab.Checker.IncarnationRegression;
import dev.gossip.lab.Checker.LamportRegression;
import dev.gossip.lab.Checker.Resurrection;
import dev.gossip.lab.Checker.Sighting;
import dev.gossip.lab.History.Snapshot;
import dev.gossip.lab.Tracks.Change;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CheckerTest {

    @Nested
    class Views {

        @Test
        void statusAtIsTheLatestReportAtOrBeforeTheTime() {
            Snapshot s = new Histories()
                    .see(100, "a", "b=alive")
                    .see(200, "x", "b=failed")
                    .see(300, "a")
                    .snapshot();

            assertThat(Checker.statusAt(s, "a", "b", 50)).isEmpty();
            assertThat(Checker.statusAt(s, "a", "b", 100)).contains("alive");
            assertThat(Checker.statusAt(s, "a", "b", 299)).contains("alive");
            assertThat(Checker.statusAt(s, "a", "b", 300)).contains("none");
            assertThat(Checker.statusAt(s, "a", "b", 10_000)).contains("none");
            assertThat(Checker.statusAt(s, "nobody", "b", 10_000)).isEmpty();
        }

        @Test
        void transitionsKeepOnlyChangesAndOpenEachLifeAfresh() {
            Snapshot s = new Histories()
                    .see(0, "a", "b=alive")
                    .see(100, "a", "b=alive")
                    .see(200, "a", "b=suspect")
                    .see(300, "a", 1, -1, "b=suspect")
                    .see(400, "a", 1, -1)
                    .see(500, "x", "c=alive")
                    .snapshot();

            assertThat(Checker.transitions(s, "a", "b")).containsExactly(
                    new Change(0, 0, "alive"), new Change(200, 0, "suspect"),
                    new Change(300, 1, "suspect"), new Change(400, 1, "none"));
            assertThat(Checker.transitions(s, "a", "c")).containsExactly(
                    new Change(0, 0, "none"), new Change(300, 1, "none"));
        }
    }

    @Nested
    class Detections {

        /** c is killed at 1000. */
        private final Snapshot s = new Histories()
                .mark("kill", 1000, "c")
                .see(900, "a", "c=alive").see(1100, "a", "c=suspect").see(2100, "a", "c=failed").see(2200, "a", "c=failed")
                .see(900, "b", "c=alive").see(2300, "b", "c=failed")
                .see(900, "d", "c=alive").see(1500, "d", "c=alive")
                .see(800, "e", "c=failed").see(1050, "e", "c=failed")
                .see(1200, "f", "c=left")
                .see(1300, "g")
                .snapshot();

        @Test
        void latencyRunsFromTheFaultToTheFirstReportOfFailed() {
            Detection d = Checker.detection(s, "c", 1000, Set.of("a", "b", "d"));

            assertThat(d.latencies()).containsExactly(Map.entry("a", 1100L), Map.entry("b", 1300L));
            assertThat(d.latency("b")).hasValue(1300);
            assertThat(d.missed()).containsExactly("d");
            assertThat(d.median()).hasValue(1200);
            assertThat(d.max()).hasValue(1300);
            assertThat(d.byAll()).isEmpty();
        }

        @Test
        void anObserverThatAlreadySawItFailedDetectsAtItsFirstReportAfter() {
            Detection d = Checker.detection(s, "c", 1000, Set.of("a", "b", "e"));

            assertThat(d.latency("e")).hasValue(50);
            assertThat(d.median()).hasValue(1100);
            assertThat(d.byAll()).hasValue(1300);
        }

        @Test
        void leftCountsButAbsentDoesNot() {
            Detection d = Checker.detection(s, "c", 1000, Set.of("f", "g"));

            assertThat(d.latency("f")).hasValue(200);
            assertThat(d.missed()).containsExactly("g");
        }

        @Test
        void noDetectorsMeansNoFigures() {
            Detection d = Checker.detection(s, "c", 1000, Set.of("d", "nobody"));

            assertThat(d.missed()).containsExactly("d", "nobody");
            assertThat(d.median()).isEmpty();
            assertThat(d.max()).isEmpty();
        }
    }

    @Nested
    class FalseAlarms {

        @Test
        void onlyUnfaultedMembersCountAndEachChangeCountsOnce() {
            Snapshot s = new Histories()
                    .see(0, "a", "b=alive", "c=alive").see(100, "a", "b=suspect", "c=suspect")
                    .see(200, "a", "b=failed", "c=failed").see(300, "a", "b=failed", "c=failed")
                    .see(400, "a", "b=alive", "c=failed")
                    .see(0, "b", "a=alive").see(150, "b", "a=failed")
                    .snapshot();

            assertThat(Checker.falseFailures(s, Set.of("c")))
                    .containsExactly(new Sighting("b", "a", 150), new Sighting("a", "b", 200));
            assertThat(Checker.falseSuspicions(s, Set.of("c"))).containsExactly(new Sighting("a", "b", 100));
        }

        @Test
        void aRestartedObserverThatReportsAFailureAgainCountsAgain() {
            Snapshot s = new Histories()
                    .see(0, "a", "b=alive").see(100, "a", "b=failed")
                    .see(500, "a", 1, -1, "b=failed")
                    .snapshot();

            assertThat(Checker.falseFailures(s, Set.of()))
                    .containsExactly(new Sighting("a", "b", 100), new Sighting("a", "b", 500));
        }
    }

    @Nested
    class Flaps {

        @Test
        void failedThenAliveInOneLifeIsAFlap() {
            Snapshot s = new Histories()
                    .see(0, "a", "b=alive", "c=alive", "d=none")
                    .see(100, "a", "b=failed", "c=failed")
                    .see(200, "a", "b=alive", "c=alive", "d=failed")
                    .see(300, "a", "b=suspect", "d=alive")
                    .see(400, "a", "b=failed")
                    .see(500, "a")
                    .see(600, "a", "b=alive")
                    .see(700, "a", "b=failed")
                    .see(800, "a", "b=left")
                    .see(900, "a", "b=alive")
                    .see(0, "b", "a=alive").see(100, "b", "a=failed").see(200, "b", 1, -1, "a=alive")
                    .snapshot();

            assertThat(Checker.flaps(s, Set.of("c")))
                    .containsExactly(new Flap("a", "b", 100, 200), new Flap("a", "b", 400, 600));
        }
    }

    @Nested
    class Convergence {

        private Histories healed() {
            return new Histories()
                    .see(900, "a", "a=alive", "b=alive", "c=alive")
                    .see(1000, "a", "a=alive", "b=alive", "c=failed")
                    .see(1100, "b", "a=alive", "b=alive", "c=failed")
                    .see(1200, "a", "a=alive", "b=alive", "c=alive")
                    .see(1300, "b", "a=alive", "b=alive", "c=suspect")
                    .see(1500, "c", "a=alive", "b=alive", "c=alive")
                    .see(1600, "d", "a=failed")
                    .see(2200, "a", "a=alive", "b=alive", "c=alive")
                    .see(2200, "b", "a=alive", "b=alive", "c=alive")
                    .see(2300, "c", "a=alive", "b=alive", "c=alive");
        }

        @Test
        void convergedOnceEveryReportingLiveObserverSeesAllLiveAlive() {
            assertThat(Checker.convergence(healed().snapshot(), 1000, Set.of("a", "b", "c"))).hasValue(500);
        }

        @Test
        void aLiveObserverSilentSinceTheStartIsNotWaitedFor() {
            Snapshot s = new Histories()
                    .see(500, "e", "a=alive", "e=alive")
                    .see(1200, "a", "a=alive", "e=alive")
                    .see(1300, "a", "a=alive", "e=alive")
                    .snapshot();

            assertThat(Checker.convergence(s, 1000, Set.of("a", "e"))).hasValue(200);
        }

        @Test
        void aRelapseMovesConvergenceToTheLastRecovery() {
            Snapshot s = healed()
                    .see(2000, "a", "a=alive", "b=failed", "c=alive")
                    .see(2100, "a", "a=alive", "b=alive", "c=alive")
                    .snapshot();

            assertThat(Checker.convergence(s, 1000, Set.of("a", "b", "c"))).hasValue(1100);
        }

        @Test
        void notConvergedAtTheEndIsNever() {
            Snapshot s = healed().see(2400, "c", "a=alive", "b=alive").snapshot();

            assertThat(Checker.convergence(s, 1000, Set.of("a", "b", "c"))).isEmpty();
            assertThat(Checker.convergence(s, 5000, Set.of("a", "b", "c"))).isEmpty();
        }
    }

    @Nested
    class Resurrections {

        /** d leaves at 950; a sees it left at 1100, then alive at 3000. */
        private Histories left() {
            return new Histories()
                    .mark("leave", 950, "d")
                    .see(0, "a", "d=alive").see(1000, "a", "d=leaving").see(1100, "a", "d=left")
                    .see(1200, "a").see(3000, "a", "d=alive");
        }

        @Test
        void leftThenAliveWithoutARestartIsAResurrection() {
            assertThat(Checker.resurrections(left().snapshot())).containsExactly(new Resurrection("a", "d", 1100, 3000));
        }

        @Test
        void aRestartAfterTheLeaveExplainsIt() {
            assertThat(Checker.resurrections(left().mark("restart", 2500, "d").snapshot())).isEmpty();
            assertThat(Checker.resurrections(left().mark("restart", 1050, "d").snapshot())).isEmpty();
            assertThat(Checker.resurrections(left().mark("join", 2500, "d").snapshot())).isEmpty();
        }

        @Test
        void aRestartBeforeTheLeaveOrOfAnotherMemberDoesNot() {
            assertThat(Checker.resurrections(left().mark("restart", 900, "d").mark("restart", 2000, "e").snapshot()))
                    .containsExactly(new Resurrection("a", "d", 1100, 3000));
        }
    }

    @Nested
    class Clocks {

        @Test
        void incarnationsMayOnlyRestartAfterAbsenceANewLifeOrARestartUnderANewAddress() {
            Snapshot s = new Histories()
                    .see(0, "a", 0, -1, "b=alive:5")
                    .see(100, "a", 0, -1, "b=alive:4")
                    .see(200, "a", 0, -1, "b=alive")
                    .see(300, "a", 0, -1, "b=alive:3")
                    .see(400, "a", 0, -1)
                    .see(500, "a", 0, -1, "b=alive:1")
                    .see(600, "a", 1, -1, "b=alive:0")
                    .see(700, "a", 1, -1, "b=failed:7@old")
                    .see(800, "a", 1, -1, "b=alive:1@new")
                    .see(900, "a", 1, -1, "b=alive:0@other")
                    .see(0, "s", "b=alive", "c=alive")
                    .see(100, "s", "b=alive", "c=alive")
                    .snapshot();

            assertThat(Checker.incarnationRegressions(s)).containsExactly(
                    new IncarnationRegression("a", 0, "b", 100, 5, 4),
                    new IncarnationRegression("a", 0, "b", 300, 4, 3),
                    new IncarnationRegression("a", 1, "b", 900, 1, 0));
        }

        @Test
        void lamportRestartsOnlyWithANewLife() {
            Snapshot s = new Histories()
                    .see(0, "a", 0, 10).see(100, "a", 0, 12).see(200, "a", 0, -1).see(300, "a", 0, 11)
                    .see(400, "a", 0, 13).see(500, "a", 1, 2).see(600, "a", 1, 1)
                    .see(0, "s", 0, -1).see(100, "s", 0, -1)
                    .snapshot();

            assertThat(Checker.lamportRegressions(s)).containsExactly(
                    new LamportRegression("a", 0, 300, 12, 11),
                    new LamportRegression("a", 1, 600, 2, 1));
        }
    }
}
