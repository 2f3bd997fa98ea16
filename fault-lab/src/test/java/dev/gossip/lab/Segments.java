package dev.gossip.lab;

import dev.gossip.lab.History.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * One observer's view of one member as runs of equal status over time, for the timeline. Where
 * the observer did not report, there is no segment.
 */
final class Segments {

    /** How long one report stands for when the next is missing or late: the recorder's period. */
    static final long SAMPLE_MS = 100;
    /** Reports further apart than this leave a gap: the observer was paused, cut off or dead. */
    static final long GAP_MS = 500;

    private static final Set<String> KNOWN = Set.of("alive", "suspect", "failed", "leaving", "left", Tracks.NONE);

    /** From {@code start} to {@code end} (ms) the observer reported {@code status}. */
    record Segment(long start, long end, String status) {}

    /** A segment placed on the chart, from x0 to x1 (px). */
    static final class Bar {
        final double x0;
        double x1;
        String status;

        Bar(double x0, double x1, String status) {
            this.x0 = x0;
            this.x1 = x1;
            this.status = status;
        }
    }

    private Segments() {}

    /**
     * Each report stands until the next one, or for {@link #SAMPLE_MS} if the next is more than
     * {@link #GAP_MS} away; consecutive reports of the same status merge. A status the chart
     * does not know becomes "other".
     *
     * @param reports one observer's reports in time order
     */
    static List<Segment> of(List<Observation> reports, String member) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            long t = reports.get(i).t();
            long next = i + 1 < reports.size() ? reports.get(i + 1).t() : Long.MAX_VALUE;
            long end = next - t <= GAP_MS ? next : t + SAMPLE_MS;
            String status = Tracks.status(reports.get(i), member);
            status = KNOWN.contains(status) ? status : "other";
            Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (last != null && last.end() == t && last.status().equals(status)) {
                segments.set(segments.size() - 1, new Segment(last.start(), end, status));
            } else {
                segments.add(new Segment(t, end, status));
            }
        }
        return segments;
    }

    /** When the observer began a new life (was restarted). */
    static List<Long> restarts(List<Observation> reports) {
        List<Long> restarts = new ArrayList<>();
        for (int i = 1; i < reports.size(); i++) {
            if (reports.get(i).life() != reports.get(i - 1).life()) {
                restarts.add(reports.get(i).t());
            }
        }
        return restarts;
    }

    /**
     * Places segments at {@code x(t)}, none narrower than {@code minWidth} px (but none past
     * {@code right}): a short one is widened over the start of the next, and one swallowed whole
     * passes its status to the bar that covers it if it is worse. A blip stays visible and a row
     * never holds more than its width / {@code minWidth} bars, however much the status flickers.
     */
    static List<Bar> fit(List<Segment> segments, DoubleUnaryOperator x, double minWidth, double right) {
        List<Bar> bars = new ArrayList<>();
        for (Segment s : segments) {
            double x0 = x.applyAsDouble(s.start());
            double x1 = Math.min(right, x.applyAsDouble(s.end()));
            Bar last = bars.isEmpty() ? null : bars.get(bars.size() - 1);
            if (last != null && last.x1 > x0) {
                x0 = last.x1;
                if (x1 <= x0) {
                    last.status = severity(s.status()) > severity(last.status) ? s.status() : last.status;
                    continue;
                }
            }
            if (x1 - x0 < minWidth) {
                x1 = Math.max(x1, Math.min(right, x0 + minWidth));
            }
            bars.add(new Bar(x0, x1, s.status()));
        }
        return merged(bars);
    }

    /** Joins touching bars of one status, which widening and swallowing leave behind. */
    private static List<Bar> merged(List<Bar> bars) {
        List<Bar> merged = new ArrayList<>();
        for (Bar bar : bars) {
            Bar last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.status.equals(bar.status) && bar.x0 - last.x1 < 0.05) {
                last.x1 = Math.max(last.x1, bar.x1);
            } else {
                merged.add(bar);
            }
        }
        return merged;
    }

    /** Which status a pixel shows when several fall in it: the one that needs looking at. */
    private static int severity(String status) {
        return switch (status) {
            case "other" -> 6;
            case "failed" -> 5;
            case "suspect" -> 4;
            case "left" -> 3;
            case "leaving" -> 2;
            case "none" -> 1;
            default -> 0;
        };
    }
}
