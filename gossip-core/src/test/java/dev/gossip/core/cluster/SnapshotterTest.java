package dev.gossip.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipEvent.MemberEventType;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer thread, its queue, and the rejoin that follows a replay. */
class SnapshotterTest {

    @TempDir
    Path dir;

    private static GossipEvent.MemberEvent event(MemberEventType type, String name, String ip) throws Exception {
        Member m = new Member(name, InetAddress.getByName(ip), 7946, Map.of(), MemberStatus.ALIVE, false, 1, 5, 2, 2, 5, 4, 1);
        return new GossipEvent.MemberEvent(type, List.of(m));
    }

    @Test
    void linesReachTheFileWithinTheFlushIntervalNotAtOnce() throws Exception {
        Path path = dir.resolve("snap");
        try (Snapshotter s = Snapshotter.open(path, false, "me")) {
            s.record(event(MemberEventType.JOIN, "alpha", "10.0.0.1"), 3);
            Thread.sleep(100);
            assertThat(Files.size(path)).as("buffered, not yet flushed").isZero();
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(1)).until(() -> Files.size(path) > 0); // 0.5 s measured
            System.out.printf("[snapshot] flushed %d ms after the first check%n", (System.nanoTime() - start) / 1_000_000 + 100);
            assertThat(Files.readAllLines(path)).containsExactly("alive: alpha 10.0.0.1:7946", "clock: 2");
        }
    }

    @Test
    void closeWritesEverythingQueued() throws Exception {
        Path path = dir.resolve("snap");
        Snapshotter s = Snapshotter.open(path, false, "me");
        s.record(event(MemberEventType.JOIN, "alpha", "10.0.0.1"), 1);
        s.record(new GossipEvent.UserEvent(5, "deploy", new byte[0], false), 1);
        s.recordQuery(8);
        s.record(event(MemberEventType.FAILED, "alpha", "10.0.0.1"), 4);
        s.leave();
        s.close();
        assertThat(Files.readAllLines(path)).containsExactly("alive: alpha 10.0.0.1:7946", "event-clock: 5",
                "query-clock: 8", "not-alive: alpha", "clock: 3", "leave");
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        Path path = dir.resolve("snap");
        SnapshotReplay empty = SnapshotReplay.empty(false);
        Snapshotter s = new Snapshotter(path, empty, new SnapshotFile(path, empty, false, SnapshotFile.MIN_COMPACT_SIZE), 4, "me");
        long start = System.nanoTime();
        for (int i = 1; i <= 10; i++) {
            s.recordClock(i + 1); // the writer is not running: nothing drains
        }
        assertThat(System.nanoTime() - start).as("never waits").isLessThan(Duration.ofMillis(200).toNanos());
        assertThat(s.dropped()).isEqualTo(6);
        s.startWriter();
        s.close();
        assertThat(Files.readAllLines(path)).containsExactly("clock: 1", "clock: 2", "clock: 3", "clock: 4");
    }

    @Test
    void anUnusablePathFailsTheOpen() throws IOException {
        Path asDirectory = Files.createDirectory(dir.resolve("a-directory"));
        assertThatThrownBy(() -> Snapshotter.open(asDirectory, false, "me")).isInstanceOf(IOException.class);
    }

    @Test
    void aNodeWhoseSnapshotPathIsUnusableFailsToStartNamingTheSetting() throws IOException {
        Path asDirectory = Files.createDirectory(dir.resolve("snapshots"));
        dev.gossip.core.GossipNode node = dev.gossip.core.GossipNode.create(dev.gossip.core.GossipConfig.builder()
                .nodeName("me").bindAddress("127.0.0.1").bindPort(0).snapshotPath(asDirectory).build());
        assertThatThrownBy(node::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(asDirectory.toString()).hasMessageContaining("snapshotPath")
                .hasMessageContaining("spring.cloud.gossip.snapshot-path");
        assertThat(node.isRunning()).isFalse();
    }

    @Test
    void rejoinTriesOneMemberAtATimeAndStopsAtTheFirstThatAnswers() {
        List<Map.Entry<String, String>> previous = List.of(Map.entry("bad", "example.com:7946"),
                Map.entry("gone", "10.0.0.1:7946"), Map.entry("up", "10.0.0.2:7946"), Map.entry("never", "10.0.0.3:7946"));
        List<InetSocketAddress> tried = new ArrayList<>();
        int[] result = {-2};
        new Rejoin(previous, (addr, done) -> {
            tried.add(addr);
            done.accept(addr.getHostString().equals("10.0.0.2") ? 1 : 0);
        }, Runnable::run, () -> false, i -> result[0] = i).start();
        assertThat(tried).containsExactly(new InetSocketAddress("10.0.0.1", 7946), new InetSocketAddress("10.0.0.2", 7946));
        assertThat(result[0]).isEqualTo(2);

        new Rejoin(previous.subList(0, 2), (addr, done) -> done.accept(0), Runnable::run, () -> false,
                i -> result[0] = i).start();
        assertThat(result[0]).as("none answered").isEqualTo(-1);
    }

    @Test
    void rejoinOrderIsShuffledAndLeavesUsOut() throws IOException {
        SnapshotReplay r = SnapshotFormatTest.replay("alive: me 10.0.0.9:7946\nalive: a 10.0.0.1:7946\n"
                + "alive: b 10.0.0.2:7946\nalive: c 10.0.0.3:7946\n", false);
        java.util.Set<List<String>> orders = new java.util.HashSet<>();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            orders.add(r.rejoinOrder("me", random).stream().map(Map.Entry::getKey).toList());
        }
        assertThat(orders).allSatisfy(o -> assertThat(o).containsExactlyInAnyOrder("a", "b", "c"));
        assertThat(orders).as("several orders out of 6").hasSizeGreaterThan(3);
    }
}
