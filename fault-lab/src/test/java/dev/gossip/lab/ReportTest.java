package dev.gossip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    @Test
    void rowsAreSortedByScenarioThenKeptInTheOrderFirstWritten() throws Exception {
        Path md = dir.resolve("sub/report.md");
        Report.row(md, "kill", "detection median", "1300 ms", "≤ 5000 ms", true);
        Report.row(md, "kill", "false failures", "0", "0", true);
        Report.row(md, "pause", "detection median", "900 ms", "≤ 5000 ms", true);
        Report.row(md, "cut", "convergence", "never", "≤ 30 s", false);
        Report.row(md, "kill", "detection median", "1400 ms", "≤ 5000 ms", true);
        Report.row(md, "kill", "flaps", "2", "0", false);

        assertThat(Files.readString(md)).isEqualTo("""
                | scenario | measure | value | bound | result |
                |---|---|---:|---|---|
                | cut | convergence | never | ≤ 30 s | FAIL |
                | kill | detection median | 1400 ms | ≤ 5000 ms | pass |
                | kill | false failures | 0 | 0 | pass |
                | kill | flaps | 2 | 0 | FAIL |
                | pause | detection median | 900 ms | ≤ 5000 ms | pass |
                """);
    }

    @Test
    void barsAndLineBreaksInACellSurviveARewrite() throws Exception {
        Path md = dir.resolve("report.md");
        Report.row(md, "partition a,b|c,d", "seen", "a|b\nc", "x", true);
        Report.row(md, "partition a,b|c,d", "other", "1", "x", true);

        assertThat(Report.read(md)).containsExactly(
                new Report.Row("partition a,b|c,d", "seen", "a|b c", "x", true),
                new Report.Row("partition a,b|c,d", "other", "1", "x", true));
        assertThat(Files.readAllLines(md).get(2)).isEqualTo("| partition a,b\\|c,d | seen | a\\|b c | x | pass |");
    }

    @Test
    void concurrentWritersLoseNoRow() throws Exception {
        Path md = dir.resolve("report.md");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String scenario = "s" + w;
                done.add(pool.submit(() -> {
                    for (int m = 0; m < 25; m++) {
                        Report.row(md, scenario, "m" + m, Integer.toString(m), "-", m % 2 == 0);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Report.Row> rows = Report.read(md);
        assertThat(rows).hasSize(200);
        assertThat(rows.get(0)).isEqualTo(new Report.Row("s0", "m0", "0", "-", true));
        assertThat(rows.get(199)).isEqualTo(new Report.Row("s7", "m24", "24", "-", true));
        assertThat(rows.get(26)).isEqualTo(new Report.Row("s1", "m1", "1", "-", false));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(md);
        }
    }
}
