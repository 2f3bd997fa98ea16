package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.membership.TransmitLimitedQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Model check for the broadcast queue the simulations lean on: its indexed lookup (largest
 * message that fits, tier by tier) must pick exactly what a plain scan of the queue in order
 * picks, through random queueing, invalidation by name, retransmit limits and pruning.
 */
class TransmitLimitedQueueSimulationTest {

    /** The straightforward version: scan everything in (transmits, -length, -id) order. */
    private static final class Model {
        record Item(long id, String name, byte[] msg, int[] transmits) {}

        final List<Item> items = new ArrayList<>();
        final int mult;
        final int nodes;
        long nextId;
        int finished;

        Model(int mult, int nodes) {
            this.mult = mult;
            this.nodes = nodes;
        }

        private static final Comparator<Item> ORDER = Comparator.comparingInt((Item i) -> i.transmits[0])
                .thenComparing((Item i) -> -i.msg.length).thenComparing((Item i) -> -i.id);

        void queue(String name, byte[] msg) {
            if (name != null && items.removeIf(i -> name.equals(i.name))) {
                finished++;
            }
            items.add(new Item(nextId++, name, msg, new int[1]));
            prune(4096);
        }

        List<byte[]> get(int overhead, int limit) {
            items.sort(ORDER);
            int max = TransmitLimitedQueue.retransmitLimit(mult, nodes);
            List<byte[]> out = new ArrayList<>();
            int used = 0;
            for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
                Item i = it.next();
                if (used + overhead + i.msg.length > limit) {
                    continue;
                }
                used += overhead + i.msg.length;
                out.add(i.msg);
                if (++i.transmits[0] >= max) {
                    it.remove();
                    finished++;
                }
            }
            return out;
        }

        void prune(int keep) {
            items.sort(ORDER);
            while (items.size() > keep) {
                items.remove(items.size() - 1);
                finished++;
            }
        }
    }

    @Test
    void indexedLookupPicksWhatAScanWouldPick() {
        SplittableRandom r = new SplittableRandom(5);
        long picked = 0;
        for (int round = 0; round < 200; round++) {
            int nodes = 1 + r.nextInt(2000);
            Model model = new Model(4, nodes);
            int[] finished = {0};
            TransmitLimitedQueue q = new TransmitLimitedQueue(4, () -> nodes, 4096);
            for (int step = 0; step < 300; step++) {
                int op = r.nextInt(10);
                if (op < 5) {
                    String name = r.nextInt(3) == 0 ? null : "n" + r.nextInt(40);
                    byte[] msg = new byte[1 + r.nextInt(r.nextBoolean() ? 40 : 300)];
                    model.queue(name, msg);
                    q.queue(name, msg, () -> finished[0]++);
                } else if (op < 9) {
                    int overhead = r.nextInt(4);
                    int limit = r.nextInt(1400);
                    List<byte[]> expected = model.get(overhead, limit);
                    List<byte[]> actual = q.getBroadcasts(overhead, limit);
                    assertThat(actual).as("round %d step %d", round, step).hasSize(expected.size());
                    for (int i = 0; i < expected.size(); i++) {
                        assertThat(actual.get(i)).isSameAs(expected.get(i));
                    }
                    picked += actual.size();
                } else {
                    int keep = r.nextInt(50);
                    model.prune(keep);
                    q.prune(keep);
                }
                assertThat(q.size()).isEqualTo(model.items.size());
                assertThat(finished[0]).isEqualTo(model.finished);
            }
        }
        assertThat(picked).isGreaterThan(10_000);
    }
}
