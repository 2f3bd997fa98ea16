package dev.gossip.spring.support;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The first thing shutdown does, before the web server's graceful shutdown begins: gossip
 * OUT_OF_SERVICE, leave the cluster gracefully, then keep serving for a drain period so every
 * peer has stopped routing here before requests are refused. This is what makes a rolling restart
 * lose no request (spring-cloud-gateway#2923, spring-cloud-netflix#4488).
 */
public class GossipLeaveLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GossipLeaveLifecycle.class);

    /** Above the web server's graceful-shutdown phase (DEFAULT_PHASE − 1024): stops before it. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final GossipNode node;
    private final GossipServiceRegistry registry;
    private final Duration drain;
    private volatile boolean running;

    /** {@code registry} is null in client-only mode. */
    public GossipLeaveLifecycle(GossipNode node, GossipServiceRegistry registry, Duration drain) {
        this.node = node;
        this.registry = registry;
        this.drain = drain;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!node.isRunning()) {
            return;
        }
        long start = System.nanoTime();
        if (registry != null && registry.isRegistered()) {
            registry.setStatus(null, ServiceTags.OUT_OF_SERVICE);
        }
        try {
            node.leave().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Graceful leave of {} did not complete: {}", node.name(), e.toString());
        }
        try {
            Thread.sleep(drain.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Left the gossip cluster and drained in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
