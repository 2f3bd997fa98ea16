package dev.gossip.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A scenario's figures: each becomes a row of {@code target/fault-lab/report.md} (whether it
 * holds or not, so a failing run still reports everything), and the scenario fails at the end if
 * any bound did not hold.
 */
final class Findings {

    private final String scenario;
    private final List<String> failed = new ArrayList<>();

    Findings(String scenario) {
        this.scenario = scenario;
    }

    /** The report holds this run's rows only: the first row of a test JVM starts it anew. */
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    /** A figure with a bound it must meet. */
    void measure(String measure, String value, String bound, boolean pass) {
        java.nio.file.Path report = Lab.ROOT.resolve("report.md");
        if (STARTED.compareAndSet(false, true)) {
            try {
                java.nio.file.Files.deleteIfExists(report);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Could not start " + report + " anew", e);
            }
        }
        Report.row(report, scenario, measure, value, bound, pass);
        System.out.printf("[lab] %s | %s | %s | %s | %s%n", scenario, measure, value, bound, pass ? "pass" : "FAIL");
        if (!pass) {
            failed.add(measure + " = " + value + " (bound: " + bound + ")");
        }
    }

    /** A figure reported without a bound. */
    void report(String measure, String value) {
        measure(measure, value, "(reported)", true);
    }

    /** A count that must be zero. */
    void none(String measure, List<?> found) {
        measure(measure, found.size() + (found.isEmpty() ? "" : " " + found.subList(0, Math.min(3, found.size()))),
                "0", found.isEmpty());
    }

    /** What every run must show: nobody resurrected, incarnations and Lamport clocks never went back. */
    void invariants(History.Snapshot s) {
        none("resurrections", Checker.resurrections(s));
        none("incarnation regressions", Checker.incarnationRegressions(s));
        none("Lamport clock regressions", Checker.lamportRegressions(s));
    }

    /** False failures and flaps of the members in {@code neverFaulted}'s complement. */
    void noFalseFailures(History.Snapshot s, Set<String> faulted) {
        none("false failures", Checker.falseFailures(s, faulted));
        none("flaps", Checker.flaps(s, faulted));
    }

    void assertAllHeld() {
        if (!failed.isEmpty()) {
            throw new AssertionError(scenario + ": " + String.join("; ", failed));
        }
    }

    static String secs(long ms) {
        return String.format("%.1f s", ms / 1000.0);
    }
}
