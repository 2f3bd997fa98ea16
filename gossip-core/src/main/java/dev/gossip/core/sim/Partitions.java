package dev.gossip.core.sim;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cuts currently in the network. A group split is kept as two sets rather than every pair, so
 * splitting 1000 nodes in half costs 1000 entries, not 500,000.
 */
final class Partitions {

    private record Cut(Set<InetSocketAddress> from, Set<InetSocketAddress> to) {
        boolean blocks(InetSocketAddress src, InetSocketAddress dst) {
            return from.contains(src) && to.contains(dst);
        }
    }

    private final List<Cut> cuts = new ArrayList<>();
    private final Set<Route> oneWay = new HashSet<>();

    void split(Collection<InetSocketAddress> sideA, Collection<InetSocketAddress> sideB) {
        Set<InetSocketAddress> a = Set.copyOf(sideA);
        Set<InetSocketAddress> b = Set.copyOf(sideB);
        cuts.add(new Cut(a, b));
        cuts.add(new Cut(b, a));
    }

    void block(InetSocketAddress from, InetSocketAddress to) {
        oneWay.add(new Route(from, to));
    }

    boolean blocks(InetSocketAddress from, InetSocketAddress to) {
        if (!oneWay.isEmpty() && oneWay.contains(new Route(from, to))) {
            return true;
        }
        for (Cut cut : cuts) {
            if (cut.blocks(from, to)) {
                return true;
            }
        }
        return false;
    }

    /** Cuts and one-way blocks in force. */
    int size() {
        return cuts.size() + oneWay.size();
    }

    void clear() {
        cuts.clear();
        oneWay.clear();
    }
}
