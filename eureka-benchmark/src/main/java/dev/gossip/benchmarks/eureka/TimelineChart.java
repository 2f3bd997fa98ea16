package dev.gossip.benchmarks.eureka;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The run as a plain SVG (no library): one panel per side, calls per second over the side's run,
 * successes stacked above the axis and coloured by the greeter that answered, failures below it in
 * red; dashed lines mark the phases, small ticks the events (hover for their names).
 */
final class TimelineChart {

    private static final int WIDTH = 1000;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int HALF = 70;
    private static final int PANEL = 60 + 2 * HALF + 44;
    private static final String FAILED = "#d62728";
    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22"};

    private TimelineChart() {
    }

    static String svg(List<SideResult> sides, int rps) {
        int height = 30 + sides.size() * PANEL;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">Calls through the "
                + "frontend per second (%d/s sent): answered, by greeter, above the axis; failed below</text>%n", LEFT, rps));
        int top = 30;
        for (SideResult side : sides) {
            panel(svg, side, top, rps);
            top += PANEL;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, SideResult side, int top, int rps) {
        double seconds = Math.max(1, side.seconds(side.endNanos));
        double plot = WIDTH - LEFT - RIGHT;
        double perSecond = plot / seconds;
        int axis = top + 40 + HALF;
        int bins = (int) Math.ceil(seconds);
        // per second: answers by greeter name, and failures
        List<TreeMap<String, Integer>> answered = new ArrayList<>();
        int[] failed = new int[bins + 1];
        for (int i = 0; i <= bins; i++) {
            answered.add(new TreeMap<>(TimelineChart::byNumber));
        }
        int max = rps;
        for (Call c : side.calls) {
            int bin = (int) Math.min(bins, Math.max(0, side.seconds(c.startNanos())));
            if (c.ok()) {
                answered.get(bin).merge(side.names.getOrDefault(c.answeredBy(), "other"), 1, Integer::sum);
            } else {
                failed[bin]++;
            }
        }
        for (int i = 0; i <= bins; i++) {
            max = Math.max(max, Math.max(failed[i], answered.get(i).values().stream().mapToInt(Integer::intValue).sum()));
        }
        double unit = (double) HALF / max;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"><tspan font-size=\"13\" font-weight=\"bold\">%s</tspan>"
                + " — 1. new instance: %s · 2. kill -9: %s · 3. rolling restart: %s failed</text>%n",
                LEFT, top + 14, escape(side.side + (side.error == null ? "" : " (stopped early: " + side.error + ")")),
                escape(ResultsTable.newInstance(side)), escape(ResultsTable.killChosen(side)),
                escape(ResultsTable.rollingFailed(side))));
        for (int i = 0; i <= bins; i++) {
            double x = LEFT + i * perSecond;
            double w = Math.max(perSecond, 0.6);
            double y = axis;
            for (var e : answered.get(i).entrySet()) {
                double h = e.getValue() * unit;
                y -= h;
                svg.append(rect(x, y, w, h, color(e.getKey())));
            }
            if (failed[i] > 0) {
                svg.append(rect(x, axis, w, failed[i] * unit, FAILED));
            }
        }
        // axes and scale
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, axis, WIDTH - RIGHT, axis));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d/s</text>%n", LEFT - 4, axis - HALF + 4, max));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", LEFT - 4, axis + 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">%d/s</text>%n",
                LEFT - 4, axis + HALF + 4, FAILED, max));
        int step = seconds > 600 ? 120 : seconds > 240 ? 60 : 30;
        for (int s = 0; s <= seconds; s += step) {
            double x = LEFT + s * perSecond;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n", x, axis + HALF, x, axis + HALF + 4, x,
                    axis + HALF + 16, s));
        }
        // phases and events
        int lane = 0;
        for (Mark m : side.marks) {
            double x = LEFT + side.seconds(m.nanos()) * perSecond;
            if (m.phase()) {
                int labelY = top + 26 + (lane++ % 2) * 11;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\" "
                        + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#333\">%s</text>%n", x, labelY + 2, x,
                        axis + HALF, x + 2, labelY, escape(m.label())));
            } else {
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" "
                        + "stroke-width=\"2\"><title>%s (%.1f s)</title></line>%n", x, axis - 4, x, axis + 4,
                        escape(m.label()), side.seconds(m.nanos())));
            }
        }
        legend(svg, side, axis + HALF + 32);
    }

    private static void legend(StringBuilder svg, SideResult side, int y) {
        TreeMap<String, Boolean> names = new TreeMap<>(TimelineChart::byNumber);
        side.names.values().forEach(n -> names.put(n, true));
        double x = LEFT;
        for (String name : names.keySet()) {
            svg.append(rect(x, y - 9, 10, 10, color(name)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", x + 14, y, escape(name)));
            x += 90;
        }
        svg.append(rect(x, y - 9, 10, 10, FAILED));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">failed</text>%n", x + 14, y));
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>%n",
                x, y, w, h, fill);
    }

    /** greeter-N gets the N-th colour, so a greeter keeps its colour in the legend and the bars. */
    private static String color(String name) {
        int dash = name.lastIndexOf('-');
        try {
            int n = Integer.parseInt(name.substring(dash + 1));
            return COLORS[(n - 1) % COLORS.length];
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return "#999999";
        }
    }

    private static int byNumber(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
