package dev.gossip.spring.discovery;

import dev.gossip.core.GossipNode;

/**
 * Where the {@link ServiceIndex} learns the members from: this application's own gossip node, or,
 * for a thin client, the catalog of a member it watches over HTTP.
 */
@FunctionalInterface
public interface DiscoverySource {

    /** Throws {@link IllegalStateException}, saying why, when the index is not being kept up to date. */
    void probe();

    /** The application's gossip node: up to date while the node runs. */
    static DiscoverySource of(GossipNode node) {
        return () -> {
            if (!node.isRunning()) {
                throw new IllegalStateException("Gossip node " + node.name() + " is not running");
            }
        };
    }
}
