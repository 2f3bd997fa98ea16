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
                s -> s.newInstance == null ? "—" : s.newInstance.readyToAnswerNanos() == null
                        ? "not within " + s.newInstance.cap().toSeconds() + " s"
                        : duration(s.newInstance.readyToAnswerNanos()));
        row(out, sides, "2. kill -9: from the kill to the last call the frontend sent to the killed greeter (its last failed call)",
                s -> s.kill == null ? "—" : s.kill.capped()
                        ? "still chosen after " + s.kill.cap().toSeconds() + " s"
                        : s.kill.lastFailureNanos() == null ? "none sent (no call failed)" : duration(s.kill.lastFailureNanos()));
        row(out, sides, "2. kill -9: failed calls, of the calls sent from the kill to the end of the phase",
                s -> s.kill == null ? "—" : String.format(Locale.ROOT, "%,d of %,d", s.kill.failed(), s.kill.calls()));
        row(out, sides, "3. rolling restart of both greeters: failed calls, of the calls sent from the first SIGTERM until it was over",
                s -> s.rollingRestart == null ? "—" : String.format(Locale.ROOT, "%,d of %,d (%.1f %%)",
                        s.rollingRestart.failed(), s.rollingRestart.calls(), s.rollingRestart.failedPercent()));
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
