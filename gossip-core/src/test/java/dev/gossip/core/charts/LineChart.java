package dev.gossip.core.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain SVG chart of step lines (a value holds until the next point), for the benchmark mains:
 * dissemination over time, empirical CDFs of measured times. Axes start at zero, ticks are
 * round numbers, series are drawn in the order added with a legend; no library, so a chart is
 * a small text file that a README can show.
 */
public final class LineChart {

    private static final String[] COLORS = {"#1e88e5", "#e53935", "#43a047", "#8e24aa", "#fb8c00", "#546e7a"};
    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 40;
    private static final int BOTTOM = 56;

    private record Series(String name, String color, boolean dashed, double[] xs, double[] ys) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private double xMax;
    private double yMax;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a step line through the points (x ascending); its colour is the next of the palette. */
    public LineChart series(String name, double[] xs, double[] ys) {
        return series(name, COLORS[series.size() % COLORS.length], false, xs, ys);
    }

    /** Adds a step line in the given colour, dashed or solid. */
    public LineChart series(String name, String color, boolean dashed, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException(xs.length + " x values but " + ys.length + " y values");
        }
        series.add(new Series(name, color, dashed, xs.clone(), ys.clone()));
        for (int i = 0; i < xs.length; i++) {
            xMax = Math.max(xMax, xs[i]);
            yMax = Math.max(yMax, ys[i]);
        }
        return this;
    }

    /** Adds the empirical CDF of {@code samples}: the fraction at or below each value. */
    public LineChart cdf(String name, String color, boolean dashed, double[] samples) {
        double[] sorted = samples.clone();
        java.util.Arrays.sort(sorted);
        double[] xs = new double[sorted.length + 1];
        double[] ys = new double[sorted.length + 1];
        for (int i = 0; i < sorted.length; i++) {
            xs[i + 1] = sorted[i];
            ys[i + 1] = (i + 1) / (double) sorted.length;
        }
        xs[0] = sorted.length == 0 ? 0 : sorted[0];
        return series(name, color, dashed, xs, ys);
    }

    public void write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, svg());
    }

    public String svg() {
        double xTop = niceCeiling(xMax);
        double yTop = niceCeiling(yMax);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        b.append(fmt("<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>%n", WIDTH, HEIGHT));
        b.append(fmt("<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));
        for (int i = 0; i <= 5; i++) {
            double y = TOP + plotH - plotH * i / 5.0;
            double x = LEFT + plotW * i / 5.0;
            b.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>%n", LEFT, y, LEFT + plotW, y));
            b.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, tick(yTop * i / 5)));
            b.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + plotH + 16, tick(xTop * i / 5)));
        }
        b.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#616161\"/>%n",
                LEFT, TOP, plotW, plotH));
        b.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2.0, HEIGHT - 22,
                escape(xLabel)));
        b.append(fmt("<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
                TOP + plotH / 2.0, escape(yLabel)));
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.xs.length; i++) {
                double x = LEFT + plotW * s.xs[i] / xTop;
                double y = TOP + plotH - plotH * s.ys[i] / yTop;
                if (i == 0) {
                    path.append(fmt("M%.1f %.1f", x, y));
                } else {
                    path.append(fmt(" H%.1f V%.1f", x, y));
                }
            }
            b.append(fmt("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", path, s.color,
                    s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
        }
        // Lower right: step lines that rise to the top leave it free.
        int ly = TOP + plotH - 8 - 16 * (series.size() - 1);
        for (Series s : series) {
            int lx = LEFT + plotW - 200;
            b.append(fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    lx, ly - 4, lx + 24, ly - 4, s.color, s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            b.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 30, ly, escape(s.name)));
            ly += 16;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k at or above {@code v}, so that fifths are round. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v * (1 - 1e-9)) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String tick(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : fmt("%.2f", v).replaceAll("0+$", "");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
