package dev.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Members' datagrams go first, each lane is bounded, and the thread is given back in batches. */
class PacketHandoffTest {

    private static final InetSocketAddress MEMBER = new InetSocketAddress("127.0.0.1", 7946);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.2", 7946);

    /** The protocol thread, turned by hand. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final List<String> handled = new ArrayList<>();
    private final PacketHandoff handoff = new PacketHandoff(tasks::add,
            (packet, from) -> handled.add(new String(packet)));

    private void runAll() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
    }

    @Test
    void membersDatagramsAreHandledBeforeTheFloodQueuedAheadOfThem() {
        for (int i = 0; i < 100; i++) {
            handoff.offer(("flood-" + i).getBytes(), STRANGER, false);
        }
        handoff.offer("ping".getBytes(), MEMBER, true);
        runAll();
        assertThat(handled).hasSize(101).first().isEqualTo("ping");
    }

    @Test
    void eachLaneIsBoundedOnItsOwn() {
        int accepted = 0;
        for (int i = 0; i < PacketHandoff.OTHER_DEPTH + 50; i++) {
            accepted += handoff.offer(new byte[1], STRANGER, false) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(PacketHandoff.OTHER_DEPTH);
        assertThat(handoff.offer(new byte[1], MEMBER, true)).as("members' lane still has room").isTrue();
        for (int i = 1; i < PacketHandoff.MEMBER_DEPTH; i++) {
            assertThat(handoff.offer(new byte[1], MEMBER, true)).isTrue();
        }
        assertThat(handoff.offer(new byte[1], MEMBER, true)).isFalse();
        assertThat(handoff.pending()).isEqualTo(PacketHandoff.OTHER_DEPTH + PacketHandoff.MEMBER_DEPTH);
        runAll();
        assertThat(handoff.pending()).isZero();
    }

    @Test
    void aTurnHandlesOneBatchThenQueuesTheNext() {
        for (int i = 0; i < 200; i++) {
            handoff.offer(new byte[] {'x'}, MEMBER, true);
        }
        assertThat(tasks).hasSize(1);
        tasks.poll().run();
        assertThat(handled).hasSize(PacketHandoff.BATCH);
        assertThat(tasks).as("the rest waits its turn behind other work").hasSize(1);
        runAll();
        assertThat(handled).hasSize(200);
    }

    @Test
    void aThrowingHandlerDoesNotStopTheLanes() {
        List<String> seen = new ArrayList<>();
        Queue<Runnable> turns = new ArrayDeque<>();
        PacketHandoff h = new PacketHandoff(turns::add, (packet, from) -> {
            seen.add(new String(packet));
            if (packet[0] == 'b') {
                throw new IllegalStateException("injected");
            }
        });
        h.offer("a".getBytes(), MEMBER, true);
        h.offer("b".getBytes(), MEMBER, true);
        h.offer("c".getBytes(), MEMBER, true);
        turns.poll().run();
        h.offer("d".getBytes(), MEMBER, true);
        Runnable r;
        while ((r = turns.poll()) != null) {
            r.run();
        }
        assertThat(seen).containsExactly("a", "b", "c", "d");
    }

    @Test
    void noDatagramIsLostOrHandledTwiceWhenOfferedFromManyThreads() throws Exception {
        ExecutorService protocol = Executors.newSingleThreadExecutor();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
        int perReader = 20_000;
        CountDownLatch all = new CountDownLatch(4 * perReader);
        PacketHandoff h = new PacketHandoff(protocol, (packet, from) -> {
            counts.merge(new String(packet), 1, Integer::sum);
            all.countDown();
        });
        try {
            for (int t = 0; t < 4; t++) {
                int reader = t;
                readers.execute(() -> {
                    for (int i = 0; i < perReader; i++) {
                        byte[] p = (reader + ":" + i).getBytes();
                        // A full lane refuses; a real reader drops, this one retries to count them all.
                        while (!h.offer(p, reader % 2 == 0 ? MEMBER : STRANGER, reader % 2 == 0)) {
                            Thread.onSpinWait();
                        }
                    }
                });
            }
            assertThat(all.await(30, TimeUnit.SECONDS)).as("every datagram handled").isTrue();
            assertThat(counts).hasSize(4 * perReader).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
        } finally {
            readers.shutdownNow();
            protocol.shutdownNow();
        }
    }
}
