package dev.gossip.lab;

import dev.gossip.lab.History.Observation;
import dev.gossip.lab.History.Snapshot;
import dev.gossip.lab.Segments.Bar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One scenario as an SVG chart, 900 px wide: for each focus member, one row per observer
 * coloured by how that observer saw the member over time (hatched where it did not report), the
 * faults across all rows ({@link FaultMarks}), an axis in seconds and a legend. Short segments
 * are widened to {@value #MIN_PX} px and merged ({@link Segments#fit}), so a row holds at most a
 * few hundred rectangles however long the run.
 */
final class Timeline {

    private static final int WIDTH = 900;
    private static final int LEFT = 130;
    private static final int PLOT = WIDTH - LEFT - 16;
    private static final int ROW = 14;
    private static final int ROW_STEP = 18;
    private static final int HEADER = 18;
    private static final int FIRST_LANE = 40;
    private static final double MIN_PX = 2;
    private static final String STYLE = ".alive{fill:#43a047}.suspect{fill:#ffb300}.failed{fill:#e53935}"
            + ".leaving{fill:#bdbdbd}.left{fill:#757575}.none{fill:#fff;stroke:#9e9e9e;stroke-width:.6}"
            + ".other{fill:#8e24aa}.quiet{fill:url(#quiet)}.restart{fill:#000}";
    private static final String[][] LEGEND = {{"alive", "alive"}, {"suspect", "suspect"}, {"failed", "failed"},
        {"leaving", "leaving"}, {"left", "left"}, {"none", "none (unknown)"}, {"quiet", "no report"},
        {"restart", "observer restarted"}, {"window", "fault window"}, {"instant", "instant fault"}};

    private Timeline() {}

    /** Every observer of the snapshot, by name, watching {@code focusMember}. */
    static void write(Path svg, String title, Snapshot s, String focusMember) throws IOException {
        TreeSet<String> observers = new TreeSet<>();
        s.observations().forEach(o -> observers.add(o.observer()));
        write(svg, title, s, focusMember, List.copyOf(observers));
    }

    static void write(Path svg, String title, Snapshot s, String focusMember, List<String> observers) throws IOException {
        write(svg, title, s, List.of(focusMember), observers);
    }

    /** One panel per focus member, each with a row per observer, on one time axis. */
    static void write(Path svg, String title, Snapshot s, List<String> focusMembers, List<String> observers)
            throws IOException {
        if (svg.getParent() != null) {
            Files.createDirectories(svg.getParent());
        }
        Files.writeString(svg, svg(title, s, focusMembers, observers));
    }

    static String svg(String title, Snapshot s, List<String> focusMembers, List<String> observers) {
        Map<String, List<Observation>> reports = new HashMap<>();
        for (Observation o : s.observations()) {
            reports.computeIfAbsent(o.observer(), k -> new ArrayList<>()).add(o);
        }
        TimeAxis axis = TimeAxis.of(s, LEFT, PLOT);
        FaultMarks faults = FaultMarks.lay(s.faults(), axis, WIDTH);
        int rowsTop = FIRST_LANE + faults.lanes() * FaultMarks.LANE + 4;
        int rowsBottom = rowsTop + focusMembers.size() * (HEADER + observers.size() * ROW_STEP);
        int legendTop = rowsBottom + 40;
        int height = legendTop + 2 * FaultMarks.LANE + 12;

        StringBuilder b = new StringBuilder(64 * 1024);
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        b.append("<defs><pattern id=\"quiet\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f4f4f4\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#d0d0d0\" stroke-width=\"2\"/></pattern>"
                + "<style>" + STYLE + "</style></defs>\n");
        b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>%n", WIDTH, height));
        b.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        int y = rowsTop;
        for (String member : focusMembers) {
            b.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">view of %s</text>%n",
                    y + 13, escape(member)));
            y += HEADER;
            for (String observer : observers) {
                row(b, axis, observer, reports.getOrDefault(observer, List.of()), member, y);
                y += ROW_STEP;
            }
        }
        faults.draw(b, FIRST_LANE, rowsTop, rowsBottom);
        axis.draw(b, rowsTop, rowsBottom);
        legend(b, legendTop);
        return b.append("</svg>\n").toString();
    }

    private static void row(StringBuilder b, TimeAxis axis, String observer, List<Observation> reports, String member,
                            int y) {
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                LEFT - 6, y + ROW - 3, escape(shorten(observer, 20))));
        b.append(String.format(Locale.ROOT, "<rect class=\"quiet\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n",
                LEFT, y, PLOT, ROW));
        for (Bar bar : Segments.fit(Segments.of(reports, member), axis::x, MIN_PX, axis.right())) {
            // Both edges rounded first, so that adjacent bars share an edge and leave no seam.
            double x0 = tenths(bar.x0);
            b.append(String.format(Locale.ROOT, "<rect class=\"seg %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>%n",
                    bar.status, x0, y, tenths(bar.x1) - x0, ROW));
        }
        for (long t : Segments.restarts(reports)) {
            b.append(String.format(Locale.ROOT, "<rect class=\"restart\" x=\"%.1f\" y=\"%d\" width=\"2\" height=\"%d\"/>%n",
                    axis.x(t) - 1, y - 2, ROW + 4));
        }
    }

    private static void legend(StringBuilder b, int top) {
        double x = 10;
        int y = top;
        for (String[] item : LEGEND) {
            double w = 26 + item[1].length() * FaultMarks.CHAR_PX;
            if (x + w > WIDTH) {
                x = 10;
                y += FaultMarks.LANE + 4;
            }
            String grey = FaultMarks.colour("");
            b.append(switch (item[0]) {
                case "window" -> String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"14\" height=\"10\" "
                        + "fill=\"%s\" fill-opacity=\"0.13\" stroke=\"%s\" stroke-dasharray=\"3 2\"/>", x, y, grey, grey);
                case "instant" -> String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                        + "stroke=\"%s\" stroke-width=\"1.5\"/>", x + 7, y - 1, x + 7, y + 11, grey);
                case "restart" -> String.format(Locale.ROOT, "<rect class=\"restart\" x=\"%.1f\" y=\"%d\" "
                        + "width=\"2\" height=\"12\"/>", x + 6, y - 1);
                default -> String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"14\" "
                        + "height=\"10\"/>", item[0], x, y);
            });
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", x + 18, y + 9, item[1]));
            x += w;
        }
    }

    private static double tenths(double px) {
        return Math.round(px * 10) / 10.0;
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
