package dev.gossip.spring.support;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.serviceregistry.GossipAutoServiceRegistration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * The first thing shutdown (or {@code context.stop()}, {@code /actuator/pause}) does, before the
 * web server's graceful shutdown begins: gossip OUT_OF_SERVICE, leave the cluster gracefully,
 * then keep serving for a drain period so every peer has stopped routing here before requests
 * are refused. This is what makes a rolling restart lose no request (spring-cloud-gateway#2923,
 * spring-cloud-netflix#4488). The drain only happens when this instance was registered: nobody
 * routes to a client-only app. On {@code start()} after a stop the status is UP again (the node
 * itself rejoins first, see {@link GossipNodeLifecycle}).
 */
public class GossipLeaveLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GossipLeaveLifecycle.class);

    /** Above the web server's graceful-shutdown phase (DEFAULT_PHASE − 1024): stops before it. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final GossipNode node;
    private final ObjectProvider<GossipServiceRegistry> registry;
    private final ObjectProvider<GossipAutoServiceRegistration> autoRegistration;
    private final Duration drain;
    private volatile boolean running;

    public GossipLeaveLifecycle(GossipNode node, ObjectProvider<GossipServiceRegistry> registry,
                                ObjectProvider<GossipAutoServiceRegistration> autoRegistration, Duration drain) {
        this.node = node;
        this.registry = registry;
        this.autoRegistration = autoRegistration;
        this.drain = drain;
    }

    @Override
    public void start() {
        running = true;
        registry.ifAvailable(r -> r.setStopping(false));
    }

    @Override
    public void stop() {
        running = false;
        if (!node.isRunning()) {
            return;
        }
        long start = System.nanoTime();
        GossipServiceRegistry r = registry.getIfAvailable();
        boolean registered = r != null && r.isRegistered();
        GossipAutoServiceRegistration auto = autoRegistration.getIfAvailable();
        if (auto != null) {
            auto.beforeDeregister();
        }
        if (registered) {
            r.setStopping(true);
        }
        try {
            // scheduling slack on top of the protocol's bound: a busy machine must not cut the leave short
            node.leave().get(node.config().timings().leaveTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Graceful leave of {} did not complete: {}", node.name(), e.toString());
        }
        if (registered && !drain.isZero()) {
            try {
                Thread.sleep(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (auto != null) {
            auto.afterDeregister();
        }
        log.info("Left the gossip cluster{} in {} ms", registered ? " and drained" : "",
                (System.nanoTime() - start) / 1_000_000);
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
