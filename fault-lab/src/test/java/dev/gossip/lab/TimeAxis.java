package dev.gossip.lab;

import dev.gossip.lab.History.Fault;
import dev.gossip.lab.History.Snapshot;
import java.util.Locale;

/**
 * A chart's time axis: ms since the origin, from {@code t0} to {@code t1}, onto {@code width} px
 * starting at {@code left}.
 */
record TimeAxis(long t0, long t1, int left, int width) {

    private static final long[] TICK_STEPS_MS = {100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
        60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000};
    private static final int MAX_TICKS = 12;

    /** From the origin (or the first event, if earlier) to the end of the last report or fault. */
    static TimeAxis of(Snapshot s, int left, int width) {
        long t0 = 0;
        long t1 = 0;
        if (!s.observations().isEmpty()) {
            t0 = Math.min(t0, s.observations().get(0).t());
            t1 = s.observations().get(s.observations().size() - 1).t() + Segments.SAMPLE_MS;
        }
        for (Fault f : s.faults()) {
            t0 = Math.min(t0, f.start());
            t1 = Math.max(t1, f.open() ? f.start() : f.end());
        }
        return new TimeAxis(t0, t1 > t0 ? t1 : t0 + 1_000, left, width);
    }

    double x(double t) {
        return left + (t - t0) * width / (t1 - t0);
    }

    int right() {
        return left + width;
    }

    /** Ticks every 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30 s... the finest giving at most 12, with faint lines over the rows. */
    void draw(StringBuilder b, int top, int bottom) {
        long step = TICK_STEPS_MS[TICK_STEPS_MS.length - 1];
        for (long candidate : TICK_STEPS_MS) {
            if ((t1 - t0) / candidate <= MAX_TICKS) {
                step = candidate;
                break;
            }
        }
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                left, bottom + 2, right(), bottom + 2));
        for (long t = Math.floorDiv(t0 + step - 1, step) * step; t <= t1; t += step) {
            double x = x(t);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" "
                    + "stroke-opacity=\"0.12\"/><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s s</text>%n",
                    x, top, x, bottom, x, bottom + 2, x, bottom + 6, x, bottom + 18, seconds(t)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" fill=\"#555\">time since start</text>%n", bottom + 18));
    }

    static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(Locale.ROOT, "%.1f", ms / 1000.0);
    }
}
