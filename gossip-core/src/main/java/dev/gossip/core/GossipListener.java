package dev.gossip.core;

/**
 * Receives a node's events. Called on the node's protocol thread: return quickly and never block
 * (hand long work to your own executor). An exception thrown here is logged and ignored.
 */
@FunctionalInterface
public interface GossipListener {
    void onEvent(GossipEvent event);
}
