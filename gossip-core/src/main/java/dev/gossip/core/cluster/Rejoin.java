package dev.gossip.core.cluster;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rejoins the members a snapshot remembers (serf serf.go:handleRejoin): one at a time, in the
 * given (shuffled) order, stopping at the first that answers. One is enough: its push/pull brings
 * the rest of the cluster, and trying all at once would hit every peer after a mass restart.
 */
final class Rejoin {

    private static final Logger log = LoggerFactory.getLogger(Rejoin.class);

    private final List<Map.Entry<String, String>> previous;
    private final BiConsumer<InetSocketAddress, IntConsumer> join;
    private final Executor loop;
    private final BooleanSupplier stopped;
    private final IntConsumer done;

    /**
     * @param previous name → address of each member to try, in order
     * @param join     a push/pull join of one address, calling back with how many answered (0 or 1)
     * @param loop     the node's thread: each next attempt is a fresh task, not a deeper stack
     * @param stopped  true once the node leaves or shuts down: stop trying
     * @param done     called with the index of the member that answered, or −1 when none did
     */
    Rejoin(List<Map.Entry<String, String>> previous, BiConsumer<InetSocketAddress, IntConsumer> join,
           Executor loop, BooleanSupplier stopped, IntConsumer done) {
        this.previous = previous;
        this.join = join;
        this.loop = loop;
        this.stopped = stopped;
        this.done = done;
    }

    void start() {
        attempt(0);
    }

    private void attempt(int i) {
        while (i < previous.size() && !stopped.getAsBoolean()) {
            Map.Entry<String, String> prev = previous.get(i);
            InetSocketAddress addr = SnapshotRecord.socketAddress(prev.getValue());
            if (addr == null) {
                log.warn("Not rejoining {}: '{}' is not an ip:port address", prev.getKey(), prev.getValue());
                i++;
                continue;
            }
            log.info("Attempting re-join to previously known node: {}: {}", prev.getKey(), prev.getValue());
            int index = i;
            join.accept(addr, n -> {
                if (n > 0) {
                    log.info("Re-joined to previously known node: {}: {}", prev.getKey(), prev.getValue());
                    done.accept(index);
                } else {
                    loop.execute(() -> attempt(index + 1));
                }
            });
            return;
        }
        if (!previous.isEmpty() && !stopped.getAsBoolean()) {
            log.warn("Failed to re-join any previously known node");
        }
        done.accept(-1);
    }
}
