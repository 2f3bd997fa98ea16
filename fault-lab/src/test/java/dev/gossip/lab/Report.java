package dev.gossip.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The lab's results as one markdown table, a row per (scenario, measure), sorted by scenario and,
 * within one, in the order the rows were first written. The file holds nothing but the table and
 * is rewritten whole on every row, so that scenarios of several test classes, run in one JVM,
 * end up in one file.
 */
final class Report {

    static final String HEADER = "| scenario | measure | value | bound | result |";
    private static final String RULE = "|---|---|---:|---|---|";
    /** A cell boundary: a bar not escaped by a backslash. */
    private static final Pattern BAR = Pattern.compile("(?<!\\\\)\\|");
    /** Test classes write from their own threads; each row is a read-modify-write of the whole file. */
    private static final Object LOCK = new Object();

    record Row(String scenario, String measure, String value, String bound, boolean pass) {}

    private Report() {}

    /** Adds the row, or replaces the row of the same scenario and measure where it stands. */
    static void row(Path reportMd, String scenario, String measure, String value, String bound, boolean pass) {
        Row row = new Row(scenario, measure, value, bound, pass);
        synchronized (LOCK) {
            try {
                List<Row> rows = read(reportMd);
                int at = indexOf(rows, scenario, measure);
                if (at >= 0) {
                    rows.set(at, row);
                } else {
                    rows.add(row);
                }
                rows.sort(Comparator.comparing(Row::scenario));
                write(reportMd, rows);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The rows of the file, in its order; none if there is no file. */
    static List<Row> read(Path reportMd) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(reportMd)) {
            return rows;
        }
        for (String line : Files.readAllLines(reportMd, StandardCharsets.UTF_8)) {
            if (!line.startsWith("|") || line.equals(HEADER) || line.startsWith("|---")) {
                continue;
            }
            String[] cells = BAR.split(line.substring(1, line.length() - 1), -1);
            if (cells.length == 5) {
                rows.add(new Row(cell(cells[0]), cell(cells[1]), cell(cells[2]), cell(cells[3]),
                        cell(cells[4]).equals("pass")));
            }
        }
        return rows;
    }

    private static int indexOf(List<Row> rows, String scenario, String measure) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).scenario().equals(scenario) && rows.get(i).measure().equals(measure)) {
                return i;
            }
        }
        return -1;
    }

    /** Through a temporary file and a rename, so that a reader never sees half a table. */
    private static void write(Path reportMd, List<Row> rows) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n').append(RULE).append('\n');
        for (Row r : rows) {
            b.append("| ").append(escape(r.scenario())).append(" | ").append(escape(r.measure()))
                    .append(" | ").append(escape(r.value())).append(" | ").append(escape(r.bound()))
                    .append(" | ").append(r.pass() ? "pass" : "FAIL").append(" |\n");
        }
        Path dir = reportMd.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, reportMd.getFileName().toString(), ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, reportMd, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A cell must stay on one line and not end early at a bar. */
    private static String escape(String s) {
        return s.replace("\r", " ").replace("\n", " ").replace("|", "\\|");
    }

    private static String cell(String s) {
        return s.strip().replace("\\|", "|");
    }
}
