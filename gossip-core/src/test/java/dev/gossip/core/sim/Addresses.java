package dev.gossip.core.sim;

import java.net.InetSocketAddress;

final class Addresses {

    static InetSocketAddress node(int i) {
        return new InetSocketAddress("10.0." + (i / 250) + "." + (i % 250 + 1), 7946);
    }

    private Addresses() {
    }
}
