package dev.gossip.lab;

import dev.gossip.lab.History.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The faults on a timeline: a window shaded over all rows, an instant as a line through them,
 * each labelled above the rows in the first lane where its label overlaps no earlier one.
 */
final class FaultMarks {

    static final int LANE = 13;
    static final double CHAR_PX = 6.2;

    private record Label(Fault fault, String text, double x, int lane) {}

    private final List<Label> labels;
    private final TimeAxis axis;

    private FaultMarks(List<Label> labels, TimeAxis axis) {
        this.labels = labels;
        this.axis = axis;
    }

    /** Labels are kept left of {@code chartWidth}. */
    static FaultMarks lay(List<Fault> faults, TimeAxis axis, int chartWidth) {
        List<Label> labels = new ArrayList<>();
        List<Double> laneEnds = new ArrayList<>();
        for (Fault f : faults) {
            String text = text(f);
            double w = text.length() * CHAR_PX + 8;
            double x = Math.min(axis.x(f.start()), chartWidth - w);
            int lane = 0;
            while (lane < laneEnds.size() && laneEnds.get(lane) > x) {
                lane++;
            }
            if (lane == laneEnds.size()) {
                laneEnds.add(x + w);
            } else {
                laneEnds.set(lane, x + w);
            }
            labels.add(new Label(f, text, x, lane));
        }
        return new FaultMarks(labels, axis);
    }

    int lanes() {
        return labels.stream().mapToInt(l -> l.lane() + 1).max().orElse(0);
    }

    /** Labels from {@code firstLane} (baseline y) down, marks over the rows from {@code top} to {@code bottom}. */
    void draw(StringBuilder b, int firstLane, int top, int bottom) {
        for (Label l : labels) {
            Fault f = l.fault();
            String colour = colour(f.kind());
            double x0 = axis.x(f.start());
            int labelY = firstLane + l.lane() * LANE;
            b.append(String.format(Locale.ROOT, "<g><title>%s</title>", Timeline.escape(l.text() + " " + when(f))));
            if (f.start() == f.end()) {
                b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                        + "stroke-width=\"1.5\"/>", x0, labelY - 9, x0, bottom, colour));
            } else {
                double x1 = f.open() ? axis.right() : axis.x(f.end());
                b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
                        + "fill-opacity=\"0.13\" stroke=\"%s\" stroke-dasharray=\"3 2\"/>",
                        x0, top, Math.max(1, x1 - x0), bottom - top, colour, colour));
                b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>",
                        x0, labelY - 9, x0, top, colour));
            }
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text></g>%n",
                    l.x() + 2, labelY, colour, Timeline.escape(l.text())));
        }
    }

    /** "partition a,b | c,d p=0.10": kind, targets with the sides apart, detail. */
    private static String text(Fault f) {
        String targets = String.join(",", f.targets()).replace(",|,", " | ").replace("|,", "| ").replace(",|", " |");
        String detail = f.detail() == null || f.detail().isBlank() ? "" : " " + f.detail();
        return Timeline.shorten(f.kind() + " " + targets + detail, 48);
    }

    private static String when(Fault f) {
        String start = TimeAxis.seconds(f.start());
        if (f.start() == f.end()) {
            return "at " + start + " s";
        }
        return "from " + start + " s to " + (f.open() ? "the end" : TimeAxis.seconds(f.end()) + " s");
    }

    static String colour(String kind) {
        return switch (kind) {
            case "kill" -> "#b71c1c";
            case "restart" -> "#1565c0";
            case "leave" -> "#616161";
            case "pause" -> "#6a1b9a";
            case "partition" -> "#0277bd";
            case "oneway" -> "#00838f";
            case "loss" -> "#ef6c00";
            case "flap" -> "#ad1457";
            case "keys" -> "#2e7d32";
            default -> "#455a64";
        };
    }
}
