package dev.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The broadcast queue (§5.3), after memberlist's queue_test.go. Its order is Go's btree order
 * (limitedBroadcast.Less): fewest transmits first, then the longest message, then the newest.
 */
class TransmitLimitedQueueTest {

    private static final int ROOMY = 10_000;
    /** queue_test.go's four 18-byte messages, named test, foo, bar and baz, oldest first. */
    private static final List<String> GO_MESSAGES = List.of(
            "1. this is a test.", "2. this is a test.", "3. this is a test.", "4. this is a test.");

    private final List<String> finished = new ArrayList<>();

    private static TransmitLimitedQueue queue(int mult, int nodes) {
        return new TransmitLimitedQueue(mult, () -> nodes, 4096);
    }

    private void add(TransmitLimitedQueue q, String name, String message) {
        q.queue(name, bytes(message), () -> finished.add(message));
    }

    /** queue_test.go's test, foo and bar, all four bytes long, oldest first. */
    private void addTestFooBar(TransmitLimitedQueue q) {
        add(q, "test", "test");
        add(q, "foo", "foo1");
        add(q, "bar", "bar1");
    }

    /** GO_MESSAGES under queue_test.go's names. */
    private void addGoMessages(TransmitLimitedQueue q) {
        List<String> names = List.of("test", "foo", "bar", "baz");
        for (int i = 0; i < names.size(); i++) {
            add(q, names.get(i), GO_MESSAGES.get(i));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> messages) {
        return messages.stream().map(m -> new String(m, StandardCharsets.UTF_8)).toList();
    }

    /** A message dropped by name leaves at once, runs its callback, and is never sent. */
    @Test
    void removeDropsTheMessageQueuedUnderAName() {
        TransmitLimitedQueue q = queue(1, 1);
        addTestFooBar(q);
        assertThat(q.remove("foo")).isTrue();
        assertThat(q.remove("foo")).as("already gone").isFalse();
        assertThat(q.remove("nobody")).isFalse();
        assertThat(finished).containsExactly("foo1");
        assertThat(q.size()).isEqualTo(2);
        assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly("bar1", "test");
    }

    /** TestTransmitLimited_Queue: equal tier and length, so the newest goes first. */
    @Test
    void amongEqualMessagesTheNewestGoesFirst() {
        TransmitLimitedQueue q = queue(1, 1);
        addTestFooBar(q);
        assertThat(q.size()).isEqualTo(3);
        assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly("bar1", "foo1", "test");
    }

    @Test
    void withinATierTheLongestGoesFirst() {
        TransmitLimitedQueue q = queue(4, 10);
        q.queue(null, bytes("mid--"));
        q.queue(null, bytes("longest"));
        q.queue(null, bytes("s"));
        assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly("longest", "mid--", "s");
    }

    @Test
    void fewerTransmitsGoFirstWhateverTheirSizeOrAge() {
        TransmitLimitedQueue q = queue(4, 10);
        q.queue(null, bytes("old and long"));
        assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly("old and long");
        q.queue(null, bytes("new"));
        // Room for one only: the unsent one, although it is shorter.
        assertThat(strings(q.getBroadcasts(0, 12))).containsExactly("new");
        // Both sent once now: the longer one first.
        assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly("old and long", "new");
    }

    /** The re-queued named broadcast replaces the old one and is now the newest. */
    @Test
    void aNamedBroadcastReplacesTheQueuedOneOfTheSameName() {
        TransmitLimitedQueue q = queue(1, 1);
        addTestFooBar(q);
        add(q, "test", "tst2");
        assertThat(q.size()).isEqualTo(3);
        assertThat(finished).containsExactly("test");
        assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly("tst2", "bar1", "foo1");
    }

    @Test
    void unnamedBroadcastsNeverReplaceEachOther() {
        TransmitLimitedQueue q = queue(4, 10);
        add(q, null, "same");
        add(q, null, "same");
        add(q, "n", "named");
        assertThat(q.size()).isEqualTo(3);
        assertThat(finished).isEmpty();
    }

    /** TestRetransmitLimit and §8.4: mult × ceil(log10(N + 1)). */
    @Test
    void theRetransmitLimitGrowsWithLog10OfTheClusterSize() {
        assertThat(TransmitLimitedQueue.retransmitLimit(3, 0)).isZero();
        assertThat(TransmitLimitedQueue.retransmitLimit(3, 1)).isEqualTo(3);
        assertThat(TransmitLimitedQueue.retransmitLimit(3, 99)).isEqualTo(6);
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 9)).isEqualTo(4);
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 10)).isEqualTo(8);
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 100)).isEqualTo(12);
    }

    /** A message is sent exactly retransmitLimit times, then leaves and reports it. */
    @Test
    void aMessageLeavesAfterItsRetransmitBudget() {
        TransmitLimitedQueue q = queue(4, 10); // 4 × ceil(log10 11) = 8
        add(q, null, "m");
        for (int i = 0; i < 8; i++) {
            assertThat(finished).as("after %d sends", i).isEmpty();
            assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly("m");
        }
        assertThat(finished).containsExactly("m");
        assertThat(q.size()).isZero();
        assertThat(q.getBroadcasts(0, ROOMY)).isEmpty();
    }

    /** The limit follows the cluster size at the time of sending, not of queueing. */
    @Test
    void theBudgetIsReadWhenSending() {
        int[] nodes = {1};
        TransmitLimitedQueue q = new TransmitLimitedQueue(1, () -> nodes[0], 4096);
        q.queue(null, bytes("m"));
        nodes[0] = 10; // limit 1 → 2
        q.getBroadcasts(0, ROOMY);
        assertThat(q.size()).isEqualTo(1);
        q.getBroadcasts(0, ROOMY);
        assertThat(q.size()).isZero();
    }

    /** TestTransmitLimited_GetBroadcasts_Limit: 18-byte messages, limit 2 sends each. */
    @Test
    void packsWhatFitsAndRetiresSpentMessages() {
        TransmitLimitedQueue q = queue(1, 10);
        addGoMessages(q);
        // 3 + 18 per message in 80 bytes: three fit.
        assertThat(q.getBroadcasts(3, 80)).hasSize(3);
        assertThat(q.getBroadcasts(3, 80)).hasSize(3);
        assertThat(q.getBroadcasts(3, 80)).hasSize(2);
        assertThat(q.getBroadcasts(3, 80)).isEmpty();
        assertThat(finished).containsExactlyInAnyOrderElementsOf(GO_MESSAGES);
    }

    /** TestTransmitLimited_GetBroadcasts: 4 × (2 + 18) is exactly 80; with 3 of overhead only 3 fit. */
    @Test
    void theOverheadCountsPerMessageUpToTheExactLimit() {
        TransmitLimitedQueue q = queue(3, 10);
        GO_MESSAGES.forEach(m -> q.queue(null, bytes(m)));
        assertThat(q.getBroadcasts(2, 80)).hasSize(4);
        assertThat(q.getBroadcasts(3, 80)).hasSize(3);
        assertThat(q.getBroadcasts(0, 0)).isEmpty();
        assertThat(q.getBroadcasts(5, 5)).isEmpty();
    }

    @Test
    void takesTheLargestThatStillFitsAndSkipsWhatDoesNot() {
        TransmitLimitedQueue q = queue(4, 10);
        q.queue(null, new byte[50]);
        q.queue(null, new byte[20]);
        q.queue(null, new byte[30]);
        q.queue(null, new byte[100]);
        // 50 first; then 30 fills the remaining 30; 20 and 100 wait.
        assertThat(q.getBroadcasts(0, 80)).extracting(m -> m.length).containsExactly(50, 30);
        // The tier-0 leftovers go before the tier-1 ones, largest that fits first.
        assertThat(q.getBroadcasts(0, 75)).extracting(m -> m.length).containsExactly(20, 50);
    }

    /** TestTransmitLimited_Prune: keeping 2 of 4 equal messages drops the two oldest. */
    @Test
    void pruneDropsTheOldestAmongEquals() {
        TransmitLimitedQueue q = queue(1, 10);
        addGoMessages(q);
        q.prune(2);
        assertThat(q.size()).isEqualTo(2);
        assertThat(finished).containsExactly(GO_MESSAGES.get(0), GO_MESSAGES.get(1));
        assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly(GO_MESSAGES.get(3), GO_MESSAGES.get(2));
    }

    @Test
    void pruneDropsTheMostSentFirst() {
        TransmitLimitedQueue q = queue(4, 10);
        add(q, null, "oldest");
        add(q, null, "sent!!");
        assertThat(strings(q.getBroadcasts(0, 6))).containsExactly("sent!!");
        add(q, null, "newest");
        q.prune(2);
        assertThat(finished).containsExactly("sent!!");
    }

    /** Serf's MaxQueueDepth bounds every queue on each insert, not only at the periodic check. */
    @Test
    void theMaxDepthIsKeptOnEveryInsert() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(4, () -> 10, 2);
        add(q, null, "a");
        add(q, null, "b");
        add(q, null, "c");
        assertThat(q.size()).isEqualTo(2);
        assertThat(finished).containsExactly("a");
        assertThat(strings(q.getBroadcasts(0, ROOMY))).containsExactly("c", "b");
    }

    @Test
    void clearFinishesEverythingOnce() {
        TransmitLimitedQueue q = queue(4, 10);
        add(q, "x", "x1");
        add(q, null, "y");
        q.clear();
        q.clear();
        assertThat(q.size()).isZero();
        assertThat(finished).containsExactlyInAnyOrder("x1", "y");
        // The name is free again: a new "x" replaces nothing.
        add(q, "x", "x2");
        assertThat(finished).hasSize(2);
    }
}
