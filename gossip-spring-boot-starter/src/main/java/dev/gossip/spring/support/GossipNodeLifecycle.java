package dev.gossip.spring.support;

import dev.gossip.core.GossipNode;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the gossip transport last: its phase is below the web server's, so it stops after the
 * web server has finished its graceful shutdown (and starts before it).
 */
public class GossipNodeLifecycle implements SmartLifecycle {

    /** Below the web server's start/stop phase (DEFAULT_PHASE − 2048). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final GossipNode node;

    public GossipNodeLifecycle(GossipNode node) {
        this.node = node;
    }

    @Override
    public void start() {
        // The node starts when its bean is created, so discovery works during the refresh.
    }

    @Override
    public void stop() {
        node.shutdown();
    }

    @Override
    public boolean isRunning() {
        return node.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
