package dev.gossip.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Query;
import dev.gossip.core.wire.QueryMessage;
import dev.gossip.core.wire.UserEventMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Serf continuing from a snapshot (serf.go:Create): its clocks go on past the recorded times,
 * and user events and queries at or before them, which it delivered before the restart, are not
 * delivered again; later ones are, and their times are recorded.
 */
class SnapshotRestoreTest {

    @TempDir
    Path dir;

    private final LoneSerf s = new LoneSerf("me", Map.of());

    private long delivered(Class<? extends GossipEvent> type) {
        return s.events.stream().filter(type::isInstance).count();
    }

    private void query(long ltime) {
        s.serf.notifyMsg(new QueryMessage(ltime, (int) ltime, new byte[] {10, 0, 0, 9}, 7946, "asker", null, 0, 0,
                Duration.ofSeconds(5).toNanos(), "q", new byte[0]).encode());
    }

    @Test
    void eventsAndQueriesUpToTheRecordedTimesAreNotDeliveredAgain() throws Exception {
        Path path = dir.resolve("snap");
        Files.writeString(path, "alive: peer 10.0.0.2:7946\nclock: 20\nevent-clock: 5\nquery-clock: 7\n");
        Snapshotter snap = Snapshotter.open(path, false, "me");
        s.serf.useSnapshot(snap);

        assertThat(List.of(s.serf.clock.time(), s.serf.eventClock.time(), s.serf.queryClock.time()))
                .as("each clock one past its recorded time").containsExactly(21L, 6L, 8L);

        s.serf.notifyMsg(new UserEventMessage(5, "deploy", new byte[] {1}, false).encode());
        s.serf.notifyMsg(new UserEventMessage(4, "older", new byte[0], false).encode());
        query(7);
        assertThat(delivered(GossipEvent.UserEvent.class)).as("events at or before event-clock 5").isZero();
        assertThat(delivered(Query.class)).as("queries at or before query-clock 7").isZero();

        s.serf.notifyMsg(new UserEventMessage(6, "deploy", new byte[] {2}, false).encode());
        query(8);
        assertThat(delivered(GossipEvent.UserEvent.class)).as("a newer event").isEqualTo(1);
        assertThat(delivered(Query.class)).as("a newer query").isEqualTo(1);

        snap.close();
        assertThat(Files.readAllLines(path)).endsWith("event-clock: 6", "query-clock: 8");
    }
}
