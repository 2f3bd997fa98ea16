package dev.gossip.spring.support;

import dev.gossip.core.GossipNode;
import dev.gossip.core.MemberStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the gossip transport last: its phase is below the web server's, so it stops after the
 * web server has finished its graceful shutdown (and starts before it). The node starts when its
 * bean is created, so discovery works during the refresh; after {@code context.stop()} (or
 * {@code /actuator/pause}, a CRaC checkpoint) {@code start()} binds the port again and rejoins
 * the seeds, and the cluster takes the node back with a new incarnation.
 */
public class GossipNodeLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GossipNodeLifecycle.class);

    /** Below the web server's start/stop phase (DEFAULT_PHASE − 2048). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final GossipNode node;
    private final Duration joinTimeout;
    /** Who was alive when we stopped: rejoined on start, so a seed node with no seeds of its own finds its cluster again. */
    private volatile List<String> previousMembers = List.of();

    public GossipNodeLifecycle(GossipNode node, Duration joinTimeout) {
        this.node = node;
        this.joinTimeout = joinTimeout;
    }

    public GossipNodeLifecycle(GossipNode node) {
        this(node, Duration.ofSeconds(5));
    }

    @Override
    public void start() {
        if (node.isRunning()) {
            return;
        }
        try {
            int joined = node.start().get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!previousMembers.isEmpty()) {
                joined += node.joinAsync(previousMembers).get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            log.info("Gossip node {} started again ({} node(s) answered)", node.name(), joined);
        } catch (TimeoutException e) {
            log.warn("Gossip node {} started again; no seed answered within {}, retrying in the background",
                    node.name(), joinTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Gossip node " + node.name() + " could not start again", e.getCause());
        }
    }

    @Override
    public void stop() {
        previousMembers = node.members().stream()
                .filter(m -> m.status() == MemberStatus.ALIVE && !m.name().equals(node.name()))
                .map(m -> (m.address() instanceof java.net.Inet6Address ? "[" + m.address().getHostAddress() + "]"
                        : m.address().getHostAddress()) + ":" + m.port()).toList();
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
