package dev.gossip.benchmarks.eureka;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The comparison as a markdown table, one column per side, then each side's notes. */
final class ResultsTable {

    private ResultsTable() {
    }

    static String markdown(List<SideResult> sides) {
        StringBuilder out = new StringBuilder();
        out.append("| phase |");
        sides.forEach(s -> out.append(' ').append(s.side).append(" |"));
        out.append("\n|---|");
        sides.forEach(s -> out.append("---|"));
        out.append('\n');
        row(out, sides, "1. new instance: from its readiness to the first call through the frontend answered by it",
                ResultsTable::newInstance);
        row(out, sides, "2. kill -9: from the kill to the last call the frontend sent to the killed greeter"
                + " (its last failed call, or last call resent elsewhere)", ResultsTable::killChosen);
        row(out, sides, "2. kill -9: failed calls, of the calls sent from the kill to the end of the phase",
                s -> s.kill == null ? "—" : String.format(Locale.ROOT, "%,d of %,d", s.kill.failed(), s.kill.calls()));
        row(out, sides, "2. kill -9: calls the frontend resent to the other greeter after their connection failed",
                s -> s.kill == null ? "—" : resent(s.kill.resent()));
        row(out, sides, "3. rolling restart of both greeters: failed calls, of the calls sent from the first SIGTERM until it was over",
                ResultsTable::rollingFailed);
        row(out, sides, "3. rolling restart: calls resent after their connection failed",
                s -> s.rollingRestart == null ? "—" : resent(s.rollingRestart.resent()));
        row(out, sides, "3. rolling restart: from the first SIGTERM until it was over",
                s -> s.rollingRestart == null ? "—" : duration(s.rollingRestart.windowNanos())
                        + (s.rollingRestart.settled() ? "" : " (never settled: cap)"));
        for (SideResult s : sides) {
            out.append("\n").append(s.side).append(String.format(Locale.ROOT, " (%.0f s):%n", s.seconds(s.endNanos)));
            if (s.error != null) {
                out.append("- STOPPED EARLY: ").append(s.error).append('\n');
            }
            s.notes.forEach(n -> out.append("- ").append(n).append('\n'));
            if (s.rollingRestart != null) {
                s.rollingRestart.steps().forEach(step -> out.append("- rolling restart: ").append(step).append('\n'));
            }
        }
        return out.toString();
    }

    static String newInstance(SideResult s) {
        if (s.newInstance == null) {
            return "—";
        }
        Long nanos = s.newInstance.readyToAnswerNanos();
        if (nanos == null) {
            return "not within " + s.newInstance.cap().toSeconds() + " s";
        }
        // Registration follows the readiness event at once; the driver's probe can come back later.
        return nanos < 0 ? duration(nanos) + " (answered before the readiness probe came back UP)" : duration(nanos);
    }

    static String killChosen(SideResult s) {
        if (s.kill == null) {
            return "—";
        }
        if (s.kill.capped()) {
            return "still chosen after " + s.kill.cap().toSeconds() + " s";
        }
        return s.kill.lastChosenNanos() == null ? "never (no call failed or was resent)" : duration(s.kill.lastChosenNanos());
    }

    private static String resent(Long resent) {
        return resent == null ? "none: no retry by default" : String.format(Locale.ROOT, "%,d", resent);
    }

    static String rollingFailed(SideResult s) {
        return s.rollingRestart == null ? "—" : String.format(Locale.ROOT, "%,d of %,d (%.1f %%)",
                s.rollingRestart.failed(), s.rollingRestart.calls(), s.rollingRestart.failedPercent());
    }

    private static void row(StringBuilder out, List<SideResult> sides, String label, Function<SideResult, String> cell) {
        out.append("| ").append(label).append(" |");
        sides.forEach(s -> out.append(' ').append(cell.apply(s)).append(" |"));
        out.append('\n');
    }

    /** Milliseconds under a second, else seconds to a tenth. */
    static String duration(long nanos) {
        long ms = Math.round(nanos / 1e6);
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
