package dev.gossip.spring.config;

import dev.gossip.spring.GossipProperties;
import dev.gossip.spring.client.CatalogLookup;
import dev.gossip.spring.client.GossipClientProperties;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.config.client.ConfigServerInstanceProvider;

/**
 * Tells the Config client where its Config server is: the UP instances of the requested service id
 * ({@code spring.cloud.config.discovery.service-id}) among the gossip members.
 *
 * <p><b>How long a call waits.</b> During bootstrap a call waits until at least one UP instance is
 * known, for at most {@code spring.cloud.gossip.join-timeout} (default 5 s) counted from the start
 * of the call, which includes starting the node and joining {@code spring.cloud.gossip.seeds}. It
 * is the join timeout rather than the Config client's retry settings that bounds the wait because
 * retry only exists with fail-fast and spring-retry, while a node that has just joined always needs
 * a gossip exchange to learn about the server. When nothing turns up in time the call returns no
 * instance and the Config client does what it always does then: with fail-fast and spring-retry it
 * calls again after its back-off ({@code spring.cloud.config.retry.*}; each call waits again), else
 * it falls back to {@code spring.cloud.config.uri}, and an {@code optional:} import starts without
 * the server.
 *
 * <p>After bootstrap the Config client calls again on every {@code HeartbeatEvent} (the starter
 * publishes one per membership change) to follow the server's instances; those calls answer from
 * the application's own {@code ServiceIndex} and never wait.
 */
final class GossipConfigServerInstances implements ConfigServerInstanceProvider.Function {

    private final BootstrapGossipNode node;
    private final Binder binder;
    private final BindHandler bindHandler;

    /**
     * The lookup for a Boot line's {@code GossipConfigServerBootstrapper} to register in the bootstrap
     * registry.
     *
     * @param binder      the bootstrap context's Binder, if it has one
     * @param bindHandler the bootstrap context's BindHandler, if it has one
     */
    GossipConfigServerInstances(BootstrapGossipNode node, Binder binder, BindHandler bindHandler) {
        this.node = node;
        this.binder = binder != null ? binder : new Binder();
        this.bindHandler = bindHandler;
    }

    /** Only the Config data path calls this with a Binder; this covers any other caller. */
    @Override
    public List<ServiceInstance> apply(String serviceId) {
        return apply(serviceId, binder, bindHandler, null);
    }

    @Override
    public List<ServiceInstance> apply(String serviceId, Binder binder, BindHandler bindHandler, Log log) {
        Log out = log != null ? log : LogFactory.getLog(GossipConfigServerInstances.class);
        if (node.bootstrapClosed()) {
            return node.applicationInstances(serviceId);
        }
        if (!enabled(binder, bindHandler)) {
            out.debug("Gossip does not look for the Config server: spring.cloud.config.discovery.enabled is false"
                    + " or gossip discovery is disabled");
            return List.of();
        }
        GossipClientProperties client = binder.bind(GossipClientProperties.PREFIX,
                Bindable.of(GossipClientProperties.class), bindHandler).orElse(null);
        if (client != null && !client.getCatalogUrls().isEmpty()) {
            return fromCatalogs(client, serviceId, out);
        }
        GossipProperties properties = binder.bind(GossipProperties.PREFIX, Bindable.of(GossipProperties.class),
                bindHandler).orElseGet(GossipProperties::new);
        Duration timeout = properties.getJoinTimeout();
        long start = System.nanoTime();
        List<ServiceInstance> found = node.awaitInstances(serviceId, properties, binder, bindHandler,
                start + timeout.toNanos());
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (found.isEmpty()) {
            out.warn("No UP instance of '" + serviceId + "' became known through gossip within " + timeout
                    + " (spring.cloud.gossip.join-timeout); seeds " + properties.getSeeds()
                    + ". Check that the Config server runs the gossip starter under that service id"
                    + " (spring.cloud.config.discovery.service-id) and that a seed is reachable.");
        } else {
            out.info("Found " + found.size() + " instance(s) of '" + serviceId + "' through gossip in " + millis
                    + " ms: " + found.stream().map(ServiceInstance::getUri).toList());
        }
        return found;
    }

    /** A thin client asks the catalogs once; no gossip node is started. */
    private static List<ServiceInstance> fromCatalogs(GossipClientProperties client, String serviceId, Log out) {
        try {
            List<ServiceInstance> found = CatalogLookup.upInstances(client, serviceId);
            if (found.isEmpty()) {
                out.warn("No catalog of " + client.getCatalogUrls() + " listed an UP instance of '" + serviceId
                        + "' within " + client.getStartupTimeout() + " (" + GossipClientProperties.PREFIX
                        + ".startup-timeout). Check that the Config server runs the gossip starter under that service"
                        + " id (spring.cloud.config.discovery.service-id) and that a catalog URL answers.");
            } else {
                out.info("Found " + found.size() + " instance(s) of '" + serviceId + "' in the gossip catalog: "
                        + found.stream().map(ServiceInstance::getUri).toList());
            }
            return found;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The Config client asked for discovery, and neither gossip nor discovery is switched off. */
    static boolean enabled(Binder binder, BindHandler handler) {
        return flag(binder, handler, "spring.cloud.config.discovery.enabled", false)
                && flag(binder, handler, "spring.cloud.discovery.enabled", true)
                && flag(binder, handler, GossipProperties.PREFIX + ".enabled", true)
                && flag(binder, handler, GossipProperties.PREFIX + ".discovery.enabled", true);
    }

    private static boolean flag(Binder binder, BindHandler handler, String name, boolean otherwise) {
        return binder.bind(name, Bindable.of(Boolean.class), handler).orElse(otherwise);
    }
}
