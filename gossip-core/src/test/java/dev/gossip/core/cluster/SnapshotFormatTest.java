package dev.gossip.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot file as serf snapshot.go reads and writes it. */
class SnapshotFormatTest {

    @TempDir
    Path dir;

    static SnapshotReplay replay(String text, boolean rejoinAfterLeave) throws IOException {
        return SnapshotReplay.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), rejoinAfterLeave);
    }

    @Test
    void everyRecordReadsBackAsWritten() {
        List<SnapshotRecord> records = List.of(
                new SnapshotRecord.Alive("alpha", "127.0.0.1:7946"),
                new SnapshotRecord.Alive("my node with spaces", "10.0.0.5:8301"),
                new SnapshotRecord.Alive("v6", "[::1]:7946"),
                new SnapshotRecord.NotAlive("my node with spaces"),
                new SnapshotRecord.Clock(SnapshotRecord.ClockKind.MEMBER, 42),
                new SnapshotRecord.Clock(SnapshotRecord.ClockKind.EVENT, 7),
                new SnapshotRecord.Clock(SnapshotRecord.ClockKind.QUERY, -1L), // 2^64 - 1, as uint64
                new SnapshotRecord.Leave());
        for (SnapshotRecord r : records) {
            assertThat(SnapshotRecord.parse(r.line())).as(r.line()).isEqualTo(r);
        }
        assertThat(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.QUERY, -1L).line())
                .isEqualTo("query-clock: 18446744073709551615");
    }

    @Test
    void addressesAreWrittenAsGoPrintsThemAndReadWithoutDns() throws Exception {
        assertThat(SnapshotRecord.address(InetAddress.getByName("127.0.0.1"), 7946)).isEqualTo("127.0.0.1:7946");
        String v6 = SnapshotRecord.address(InetAddress.getByName("::1"), 7947);
        assertThat(v6).startsWith("[").endsWith("]:7947");
        assertThat(SnapshotRecord.socketAddress(v6)).isEqualTo(new InetSocketAddress("::1", 7947));
        assertThat(SnapshotRecord.socketAddress("[::1]:7946")).isEqualTo(new InetSocketAddress("::1", 7946));
        assertThat(SnapshotRecord.socketAddress("10.1.2.3:80")).isEqualTo(new InetSocketAddress("10.1.2.3", 80));
        for (String bad : List.of("host.example:7946", "::1:7946", "10.1.2.3", "10.1.2.3:0", "10.1.2.3:99999",
                "[::1]", ":7946", "[]:7946", "10.1.2.3:x")) {
            assertThat(SnapshotRecord.socketAddress(bad)).as(bad).isNull();
        }
    }

    /** The live example of serf 0.8.2 (alpha and beta joined, a query, beta left, alpha left). */
    @Test
    void serfsOwnFileReplaysToNothingAfterItsLeaveUnlessRejoinAfterLeave() throws IOException {
        String text = "alive: alpha 127.0.0.1:7946\nalive: beta 127.0.0.1:7947\nclock: 1\nevent-clock: 1\n"
                + "query-clock: 1\nclock: 2\nnot-alive: beta\nquery-clock: 2\nleave\nclock: 3\n";
        SnapshotReplay afresh = replay(text, false);
        assertThat(afresh.alive()).isEmpty();
        assertThat(afresh.left()).isTrue();
        assertThat(List.of(afresh.memberClock(), afresh.eventClock(), afresh.queryClock())).containsExactly(3L, 0L, 0L);

        SnapshotReplay rejoin = replay(text, true);
        assertThat(rejoin.alive()).containsExactly(Map.entry("alpha", "127.0.0.1:7946"));
        assertThat(List.of(rejoin.memberClock(), rejoin.eventClock(), rejoin.queryClock())).containsExactly(3L, 1L, 2L);
        assertThat(rejoin.skipped()).isZero();
    }

    @Test
    void badLinesAreSkippedAndCountedCommentsAndCoordinatesSilently() throws IOException {
        String text = "# written by hand\ncoordinate: {\"Vec\":[0]}\nalive: nospace\nclock: -3\nevent-clock: x\n"
                + "bogus\n\nalive: a b c 10.0.0.1:7946\nclock: 9\nalive: torn 10.0.0.2:79";
        SnapshotReplay r = replay(text, false);
        assertThat(r.skipped()).as("alive without address, two bad clocks, unknown, empty").isEqualTo(5);
        assertThat(r.alive()).as("names keep their spaces; a last line without newline is not read")
                .containsExactly(Map.entry("a b c", "10.0.0.1:7946"));
        assertThat(r.memberClock()).isEqualTo(9);
    }

    @Test
    void aClockLineIsWrittenPerChangeNotPerEvent() throws IOException {
        Path path = dir.resolve("snap");
        try (SnapshotFile f = new SnapshotFile(path, SnapshotReplay.empty(false), false, SnapshotFile.MIN_COMPACT_SIZE)) {
            for (long t : new long[] {5, 5, 4, 6, 6}) {
                f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.EVENT, t));
                f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.QUERY, t));
                f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.MEMBER, t));
            }
        }
        assertThat(Files.readAllLines(path)).containsExactly("event-clock: 5", "query-clock: 5", "clock: 5",
                "event-clock: 6", "query-clock: 6", "clock: 6");
    }

    @Test
    void afterALeaveOnlyTheMemberClockIsRecorded() throws IOException {
        Path path = dir.resolve("snap");
        try (SnapshotFile f = new SnapshotFile(path, SnapshotReplay.empty(false), false, SnapshotFile.MIN_COMPACT_SIZE)) {
            f.append(new SnapshotRecord.Alive("a", "10.0.0.1:7946"));
            f.append(new SnapshotRecord.Leave());
            f.append(new SnapshotRecord.Alive("b", "10.0.0.2:7946"));
            f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.EVENT, 3));
            f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.MEMBER, 3));
        }
        assertThat(Files.readAllLines(path)).containsExactly("alive: a 10.0.0.1:7946", "leave", "clock: 3");
    }

    @Test
    void aReopenedFileAppendsAClockOnlyPastItsReplayedValue() throws IOException {
        Path path = dir.resolve("snap");
        Files.writeString(path, "alive: a 10.0.0.1:7946\nclock: 10\nevent-clock: 4\n");
        SnapshotReplay replayed = SnapshotReplay.read(Files.newInputStream(path), false);
        try (SnapshotFile f = new SnapshotFile(path, replayed, false, SnapshotFile.MIN_COMPACT_SIZE)) {
            f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.MEMBER, 10));
            f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.EVENT, 4));
            f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.MEMBER, 11));
        }
        assertThat(Files.readAllLines(path)).endsWith("event-clock: 4", "clock: 11");
    }

    @Test
    void compactionTriggersAboveTheThresholdAndRenamesOverTheFile() throws IOException {
        assertThat(new SnapshotFile(dir.resolve("t"), SnapshotReplay.empty(false), false,
                SnapshotFile.MIN_COMPACT_SIZE).maxSize()).as("serf's minimum").isEqualTo(128 * 1024);

        Path path = dir.resolve("snap");
        long min = 1000;
        try (SnapshotFile f = new SnapshotFile(path, SnapshotReplay.empty(false), false, min)) {
            for (int i = 0; i < 10; i++) {
                f.append(new SnapshotRecord.Alive("node-" + i, "10.0.0." + (i + 1) + ":7946"));
            }
            assertThat(f.maxSize()).as("2 x 128 B x 10 members").isEqualTo(2560);
            int i = 0;
            while (f.compactions() == 0) {
                long before = f.offset();
                f.append(new SnapshotRecord.Alive("node-" + (i % 10), "10.0.0." + (i % 10 + 1) + ":7946"));
                i++;
                assertThat(before).as("no compaction below the threshold").isLessThanOrEqualTo(f.maxSize());
            }
            f.flush();
            assertThat(f.offset()).isEqualTo(Files.size(path)).isLessThan(f.maxSize() / 2);
            f.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.MEMBER, 77));
        }
        assertThat(dir.resolve("snap" + SnapshotFile.COMPACT_SUFFIX)).doesNotExist();
        List<String> lines = Files.readAllLines(path);
        assertThat(lines).hasSize(10 + 3 + 1).endsWith("clock: 0", "event-clock: 0", "query-clock: 0", "clock: 77");
        SnapshotReplay r = SnapshotReplay.read(Files.newInputStream(path), false);
        assertThat(r.alive()).hasSize(10);
        assertThat(r.memberClock()).isEqualTo(77);
    }
}
