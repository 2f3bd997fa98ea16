package dev.gossip.core.interop;

import java.util.List;
import java.util.Locale;

/**
 * Empirical CDFs as plain SVG text: one panel per phase, one step line per series, one legend.
 * A series' line rises by 1/runs at each finished run, so runs that timed out keep it below 1.
 */
final class CdfChart {

    /** {@code dash} is an SVG stroke-dasharray, or null for a solid line. */
    record Series(String label, String color, String dash, List<Double> millis, int runs) {}

    record Panel(String title, List<Series> series) {}

    private static final int CELL = 400;
    private static final int LEFT = 62;
    private static final int RIGHT = 22;
    private static final int TOP = 96;
    private static final int PLOT_H = 250;
    private static final int HEIGHT = TOP + PLOT_H + 58;

    private CdfChart() {}

    static String svg(String title, String subtitle, List<Panel> panels) {
        int width = panels.size() * CELL;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, HEIGHT, width, HEIGHT));
        s.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, HEIGHT));
        text(s, 12, 22, "start", 15, title);
        text(s, 12, 42, "start", 12, subtitle);
        legend(s, panels.get(0).series());
        for (int i = 0; i < panels.size(); i++) {
            panel(s, i * CELL, panels.get(i));
        }
        return s.append("</svg>\n").toString();
    }

    private static void legend(StringBuilder s, List<Series> series) {
        int x = 12;
        for (Series se : series) {
            s.append(String.format("<line x1=\"%d\" y1=\"62\" x2=\"%d\" y2=\"62\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n",
                    x, x + 30, se.color(), dash(se)));
            text(s, x + 36, 66, "start", 12, se.label());
            x += 48 + 7 * se.label().length();
        }
    }

    private static void panel(StringBuilder s, int x0, Panel p) {
        int left = x0 + LEFT;
        int right = x0 + CELL - RIGHT;
        int bottom = TOP + PLOT_H;
        double max = p.series().stream().flatMap(se -> se.millis().stream()).mapToDouble(d -> d).max().orElse(1);
        double top = Math.max(max, 1) * 1.04; // room to see the last step reach 1
        double step = niceStep(top / 5);
        double xmax = step * Math.ceil(top / step);
        text(s, (left + right) / 2, TOP - 10, "middle", 13, p.title());
        // axes, grid and ticks
        for (int i = 0; i <= 4; i++) {
            double f = i / 4.0;
            double y = bottom - f * PLOT_H;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left, y, right, y));
            text(s, left - 6, (int) y + 4, "end", 11, String.format(Locale.ROOT, "%.2f", f));
        }
        for (double v = 0; v <= xmax + step / 2; v += step) {
            double x = left + v / xmax * (right - left);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP, x, bottom));
            text(s, (int) x, bottom + 16, "middle", 11, String.format(Locale.ROOT, "%.0f", v));
        }
        s.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                left, TOP, right - left, PLOT_H));
        text(s, (left + right) / 2, bottom + 36, "middle", 12, "ms until the last member reported it");
        s.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\""
                + " transform=\"rotate(-90 %d %d)\">fraction of runs</text>%n", x0 + 16, TOP + PLOT_H / 2,
                x0 + 16, TOP + PLOT_H / 2));
        for (Series se : p.series()) {
            if (se.runs() == 0) {
                continue;
            }
            StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "M%d %d", left, bottom));
            List<Double> sorted = se.millis().stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++) {
                double x = left + sorted.get(i) / xmax * (right - left);
                double y = bottom - (i + 1.0) / se.runs() * PLOT_H;
                double yBefore = bottom - (double) i / se.runs() * PLOT_H;
                d.append(String.format(Locale.ROOT, " L%.1f %.1f L%.1f %.1f", x, yBefore, x, y));
            }
            double yEnd = bottom - (double) sorted.size() / se.runs() * PLOT_H;
            d.append(String.format(Locale.ROOT, " L%d %.1f", right, yEnd));
            s.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    d, se.color(), dash(se)));
        }
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / pow;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * pow;
    }

    private static String dash(Series se) {
        return se.dash() == null ? "" : " stroke-dasharray=\"" + se.dash() + "\"";
    }

    private static void text(StringBuilder s, int x, int y, String anchor, int size, String text) {
        s.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(text)));
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
