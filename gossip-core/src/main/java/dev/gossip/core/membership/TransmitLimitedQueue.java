package dev.gossip.core.membership;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * Broadcasts waiting to be piggybacked on outgoing packets (§5.3). Each is sent at most
 * {@code RetransmitMult × ceil(log10(N+1))} times; the least-sent go first, and among those the
 * largest that still fits. A named broadcast (memberlist's, named by node) replaces any queued one
 * of the same name, because only the newest news about a node matters. The depth is bounded.
 */
public final class TransmitLimitedQueue {

    /** A queued message; {@code onFinished} runs once it leaves the queue for any reason. */
    private static final class Item {
        final long id;
        final String name;
        final byte[] message;
        final int length;
        final Runnable onFinished;
        int transmits;

        Item(long id, String name, byte[] message, Runnable onFinished) {
            this(id, name, message, message.length, onFinished);
        }

        /** A search key: no message, just a position in the order. */
        Item(int transmits, int length, long id) {
            this(id, null, null, length, null);
            this.transmits = transmits;
        }

        private Item(long id, String name, byte[] message, int length, Runnable onFinished) {
            this.id = id;
            this.name = name;
            this.message = message;
            this.length = length;
            this.onFinished = onFinished;
        }
    }

    /** Fewest transmits first; within a tier the largest first, then the newest (as memberlist). */
    private static final Comparator<Item> ORDER = (a, b) -> {
        if (a.transmits != b.transmits) {
            return Integer.compare(a.transmits, b.transmits);
        }
        if (a.length != b.length) {
            return Integer.compare(b.length, a.length);
        }
        return Long.compare(b.id, a.id);
    };

    private final TreeSet<Item> items = new TreeSet<>(ORDER);
    private final Map<String, Item> byName = new HashMap<>();
    private final int retransmitMult;
    private final IntSupplier numNodes;
    private final int maxDepth;
    /** Told after each message queued, on the node's thread. */
    private final Runnable onQueued;
    private long nextId;
    /** {@code items.size()} after each change: gauges read it off-thread, where the TreeSet is unsafe. */
    private volatile int depth;

    public TransmitLimitedQueue(int retransmitMult, IntSupplier numNodes, int maxDepth) {
        this(retransmitMult, numNodes, maxDepth, () -> { });
    }

    /** @param onQueued runs after each message queued (to gossip it sooner) */
    public TransmitLimitedQueue(int retransmitMult, IntSupplier numNodes, int maxDepth, Runnable onQueued) {
        this.retransmitMult = retransmitMult;
        this.numNodes = numNodes;
        this.maxDepth = maxDepth;
        this.onQueued = onQueued;
    }

    /** {@code mult × ceil(log10(n + 1))}. */
    public static int retransmitLimit(int mult, int n) {
        return mult * (int) Math.ceil(Math.log10(n + 1.0));
    }

    /** Queues a message; {@code name} (may be null) invalidates an older one of that name. */
    public void queue(String name, byte[] message, Runnable onFinished) {
        if (name != null) {
            Item old = byName.remove(name);
            if (old != null) {
                items.remove(old);
                finish(old);
            }
        }
        Item item = new Item(nextId++, name, message, onFinished);
        items.add(item);
        if (name != null) {
            byName.put(name, item);
        }
        prune(maxDepth);
        onQueued.run();
    }

    public void queue(String name, byte[] message) {
        queue(name, message, null);
    }

    /**
     * Takes the messages that fit in {@code limit} bytes, counting {@code overhead} per message,
     * and counts a transmission for each.
     *
     * <p>Like memberlist, this walks the transmit tiers and, in each, looks up the largest message
     * that still fits ({@code ceiling} in the ordered set) instead of scanning the whole queue: a
     * scan made every outgoing packet O(queue length), which dominated big simulated clusters.
     * The messages chosen are the same as a scan in queue order would choose.
     */
    public List<byte[]> getBroadcasts(int overhead, int limit) {
        if (items.isEmpty()) {
            return List.of();
        }
        int transmitLimit = retransmitLimit(retransmitMult, numNodes.getAsInt());
        List<byte[]> out = new ArrayList<>(32);
        List<Item> sent = new ArrayList<>(32);
        int used = 0;
        int maxTransmits = items.last().transmits;
        for (int tier = items.first().transmits; tier <= maxTransmits; ) {
            int free = limit - used - overhead;
            if (free <= 0) {
                break;
            }
            // First item of this tier no longer than free: largest (then newest) that fits.
            Item item = items.ceiling(new Item(tier, free, Long.MAX_VALUE));
            if (item == null || item.transmits != tier) {
                tier++;
                continue;
            }
            used += overhead + item.length;
            out.add(item.message);
            items.remove(item);
            sent.add(item); // re-inserted below, so this walk does not meet it again
        }
        for (Item item : sent) {
            item.transmits++;
            if (item.transmits >= transmitLimit) {
                forget(item);
            } else {
                items.add(item);
            }
        }
        depth = items.size();
        return out;
    }

    /** Drops the most-sent messages until at most {@code maxRetain} remain. */
    public void prune(int maxRetain) {
        while (items.size() > maxRetain) {
            forget(items.pollLast());
        }
        depth = items.size();
    }

    /** Drops the message queued under {@code name}, if any; whether there was one. */
    public boolean remove(String name) {
        Item item = byName.get(name);
        if (item == null) {
            return false;
        }
        forget(item);
        depth = items.size();
        return true;
    }

    /** Messages waiting; safe to call from any thread. */
    public int size() {
        return depth;
    }

    public void clear() {
        while (!items.isEmpty()) {
            forget(items.pollFirst());
        }
        depth = items.size();
    }

    private void forget(Item item) {
        items.remove(item);
        if (item.name != null && byName.get(item.name) == item) {
            byName.remove(item.name);
        }
        finish(item);
    }

    private static void finish(Item item) {
        if (item.onFinished != null) {
            item.onFinished.run();
        }
    }
}
