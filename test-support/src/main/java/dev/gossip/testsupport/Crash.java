package dev.gossip.testsupport;

import dev.gossip.core.GossipNode;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Makes an app look crashed to the rest of the cluster: its HTTP port refuses connections and its
 * gossip node vanishes without a leave, so peers only learn of it through failure detection.
 * The context stays open: close it afterwards to release what is left.
 */
public final class Crash {

    /**
     * Start a WebFlux app that will be crashed with this argument, so that closing it afterwards
     * takes a second, not thirty: Boot's Reactor Netty graceful shutdown of an already stopped
     * server returns without reporting completion, so the close waits out the shutdown phase's
     * timeout. (Not server.shutdown=immediate: then stopping the server leaves open keep-alive
     * connections serving, which is no crash.)
     */
    public static final String CRASHABLE = "--spring.lifecycle.timeout-per-shutdown-phase=1s";

    static final String REACTOR_NETTY = "reactor.netty.http.server.HttpServer";

    private Crash() {}

    /** @return System.nanoTime when the app was gone */
    public static long crash(ConfigurableApplicationContext ctx) {
        if (ClassUtils.isPresent(REACTOR_NETTY, Crash.class.getClassLoader())) {
            ctx.getBeanProvider(OpenConnections.class).ifAvailable(OpenConnections::cutAll);
        }
        ((WebServerApplicationContext) ctx).getWebServer().stop();
        ctx.getBean(GossipNode.class).shutdown();
        return System.nanoTime();
    }
}
