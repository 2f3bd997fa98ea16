package dev.gossip.core.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The suite's table: one row per attack, printed as it is measured and kept, sorted by attack
 * number, in {@code target/hostile/hostile-table.md} with a bar chart next to it
 * ({@code hostile-chart.svg}: victim CPU per attacker MB and probe RTT p99, log scales). Both
 * files hold the rows of this JVM's run only.
 */
final class HostileTable {

    static final Path DIR = Path.of("target", "hostile");
    private static final String HEADER = "| # | attack | attacker MB | victim CPU s | victim CPU ms/MB "
            + "| probe RTT p99 ms | probes lost | peers' suspicions of victim | heap growth MB | survived | notes |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
    private static final Map<String, Result> ROWS = new TreeMap<>();

    private HostileTable() {}

    static synchronized void add(Result r) {
        ROWS.put(r.id, r);
        System.out.print(HEADER + row(r));
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("hostile-table.md"), markdown());
            Files.writeString(DIR.resolve("hostile-chart.svg"), svg());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized String markdown() {
        StringBuilder sb = new StringBuilder(HEADER);
        ROWS.values().forEach(r -> sb.append(row(r)));
        return sb.toString();
    }

    private static String row(Result r) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %s | %d/%d | %d | %+.1f | %s | %s |%n",
                r.id, r.attack, mb(r.attackerMb()), r.victimCpuSeconds(), perMb(r.victimCpuMsPerMb()),
                Result.millis(r.rtt.p99Millis()), r.rtt.lost(), r.rtt.sent(), r.suspicions, r.heapGrowthMb(),
                r.survived ? "yes" : "**no**", String.join("; ", r.notes));
    }

    private static String mb(double mb) {
        return String.format(Locale.ROOT, mb < 10 ? "%.2f" : "%.0f", mb);
    }

    private static String perMb(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }


    // ---- chart ----

    private static final int LABEL = 250;
    private static final int BAR = 230;
    private static final int GAP = 70;
    private static final int ROW = 22;
    private static final int TOP = 40;

    /** Two horizontal bar panels on log scales; a missing figure gets no bar, a lost p99 a full one. */
    static synchronized String svg() {
        List<Result> rows = List.copyOf(ROWS.values());
        int width = LABEL + 2 * (BAR + GAP);
        int height = TOP + ROW * rows.size() + 24;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        for (int i = 0; i < rows.size(); i++) {
            Result r = rows.get(i);
            sb.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text>%n", TOP + ROW * i + 15,
                    escape(shorten(r.id + " " + r.attack))));
        }
        panel(sb, rows, LABEL, "victim CPU ms per attacker MB (log)", Result::victimCpuMsPerMb, "#c0504d",
                Result.MAX_STREAM_CPU_MS_PER_MB, "target for framing alone (table notes)");
        panel(sb, rows, LABEL + BAR + GAP, "probe RTT p99 ms (log)", r -> r.rtt.p99Millis(), "#4f81bd",
                RttProbe.PROBE_TIMEOUT_MILLIS, "probe timeout");
        return sb.append("</svg>\n").toString();
    }

    /** One panel; a dashed line marks {@code mark}, the value a bar should stay under. */
    private static void panel(StringBuilder sb, List<Result> rows, int x, String title,
                              ToDoubleFunction<Result> value, String colour, double mark, String markLabel) {
        double max = rows.stream().mapToDouble(value).filter(Double::isFinite).max().orElse(1);
        double top = Math.pow(10, Math.ceil(Math.log10(Math.max(max, 10))));
        double bottom = 0.1;
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-weight=\"bold\">%s</text>%n", x, escape(title)));
        for (double tick = bottom; tick <= top; tick *= 10) {
            double tx = x + BAR * scale(tick, bottom, top);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    tx, TOP - 6, tx, TOP + ROW * rows.size()));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" fill=\"#888\">%s</text>%n",
                    tx, TOP - 8, tick < 1 ? "0.1" : String.format(Locale.ROOT, "%.0f", tick)));
        }
        double mx = x + BAR * scale(mark, bottom, top);
        int bottomY = TOP + ROW * rows.size();
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" "
                + "stroke-dasharray=\"4 3\"/>%n", mx, TOP - 4, mx, bottomY));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" fill=\"#333\">%s %s</text>%n",
                mx + 2, bottomY + 12, escape(markLabel), perMb(mark)));
        for (int i = 0; i < rows.size(); i++) {
            double v = value.applyAsDouble(rows.get(i));
            int y = TOP + ROW * i + 4;
            if (Double.isNaN(v)) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#888\">n/a</text>%n", x + 2, y + 11));
                continue;
            }
            double w = Double.isInfinite(v) ? BAR : BAR * scale(v, bottom, top);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>%n",
                    x, y, Math.max(1, w), colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", x + Math.max(1, w) + 3, y + 11,
                    Double.isInfinite(v) ? "lost" : perMb(v)));
        }
    }

    private static double scale(double v, double bottom, double top) {
        double clamped = Math.min(top, Math.max(bottom, v));
        return Math.log10(clamped / bottom) / Math.log10(top / bottom);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
