package dev.gossip.core.sim;

import java.net.InetSocketAddress;

/** One direction between two addresses: links and cuts are directional. */
record Route(InetSocketAddress from, InetSocketAddress to) {
}
