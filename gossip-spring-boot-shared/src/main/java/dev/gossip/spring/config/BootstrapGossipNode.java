package dev.gossip.spring.config;

import dev.gossip.core.GossipNode;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.GossipProperties;
import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.support.GossipNodeFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The gossip node a Config client starts during bootstrap to find its Config server, and what
 * becomes of it when the bootstrap context closes.
 *
 * <p><b>Handed over</b> (the normal case): registered in the application context as the
 * {@value #BEAN_NAME} singleton, so the starter's {@code @ConditionalOnMissingBean} node backs off
 * and the application runs on the node that is already joined, under the same name and port; the
 * context closes it (leave, then shutdown) like its own bean. Its name goes into the environment as
 * {@code spring.cloud.gossip.node-name}, so whatever reads the property agrees with the node. Tags
 * the Config server served are applied to it.
 *
 * <p><b>Released</b> (left gracefully, then shut down) when the application cannot use it: its
 * final environment, which now includes what the Config server served, disables gossip or
 * configures the node differently ({@link NodeSettings}). A running node cannot be re-bound,
 * re-keyed or re-timed, and keeping it would silently ignore those settings (for instance leave a
 * node unencrypted whose keys come from the Config server). The application then starts its own
 * node from its final settings. Also released when the application fails before the hand-over
 * ({@link BootstrapGossipNodeCleanup}), so the node never outlives a failed start.
 */
final class BootstrapGossipNode {

    static final String BEAN_NAME = "gossipNode";
    static final String PROPERTY_SOURCE = "gossipBootstrapNode";

    private static final Logger log = LoggerFactory.getLogger(BootstrapGossipNode.class);

    private enum State { IDLE, RUNNING, HANDED_OVER, RELEASED }

    private State state = State.IDLE;
    private GossipNode node;
    private ServiceIndex index;
    private NodeSettings settings;
    private Map<String, String> tags;
    private volatile boolean bootstrapClosed;
    private volatile ConfigurableApplicationContext application;
    private volatile ServiceIndex applicationIndex;

    /**
     * The UP instances of {@code serviceId}, waiting until {@code deadlineNanos} (System.nanoTime)
     * for the first one; empty if none turned up. Starts the node on the first call.
     */
    List<ServiceInstance> awaitInstances(String serviceId, GossipProperties properties, Binder binder,
                                         BindHandler handler, long deadlineNanos) {
        ServiceIndex idx = start(properties, binder, handler);
        List<ServiceInstance> now = idx.instances(serviceId);
        long remaining = deadlineNanos - System.nanoTime();
        if (!now.isEmpty() || remaining <= 0) {
            return now;
        }
        CompletableFuture<List<ServiceInstance>> first = idx.watch(serviceId).filter(list -> !list.isEmpty())
                .next().toFuture();
        try {
            List<ServiceInstance> found = first.get(remaining, TimeUnit.NANOSECONDS);
            return found != null ? found : idx.instances(serviceId); // null only if the index stopped publishing
        } catch (TimeoutException e) {
            return idx.instances(serviceId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return idx.instances(serviceId);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Watching the gossip members for '" + serviceId + "' failed", e.getCause());
        } finally {
            first.cancel(false); // unsubscribes from the index
        }
    }

    private synchronized ServiceIndex start(GossipProperties properties, Binder binder, BindHandler handler) {
        if (state == State.RUNNING) {
            return index;
        }
        if (state != State.IDLE) {
            throw new IllegalStateException("The bootstrap gossip node is already "
                    + (state == State.HANDED_OVER ? "handed to the application" : "released"));
        }
        String name = properties.getNodeName() != null && !properties.getNodeName().isBlank()
                ? properties.getNodeName() : GossipNodeFactory.defaultNodeName(serviceId(binder, handler));
        node = GossipNodeFactory.start(properties, name, properties.getTags(),
                advertiseFallback(properties, binder, handler));
        index = new ServiceIndex(node, Set.of(ServiceTags.UP));
        settings = NodeSettings.of(properties, name);
        tags = Map.copyOf(properties.getTags());
        state = State.RUNNING;
        return index;
    }

    boolean bootstrapClosed() {
        return bootstrapClosed;
    }

    /**
     * After bootstrap: the UP instances the application's own index knows, without waiting. Empty
     * until that index exists (the Config client only asks again on membership changes, which that
     * index announces).
     */
    List<ServiceInstance> applicationInstances(String serviceId) {
        ServiceIndex idx = applicationIndex;
        if (idx == null) {
            ConfigurableApplicationContext ctx = application;
            idx = ctx != null && ctx.isActive() ? ctx.getBeanProvider(ServiceIndex.class).getIfUnique() : null;
            if (idx == null) {
                return List.of();
            }
            applicationIndex = idx;
        }
        // the application may include other statuses (include-statuses); the Config client wants UP only
        return idx.instances(serviceId).stream()
                .filter(i -> !(i instanceof GossipServiceInstance g) || ServiceTags.UP.equalsIgnoreCase(g.getStatus()))
                .toList();
    }

    /** The bootstrap context closes: give the node to {@code ctx}, or release it if {@code ctx} can't use it. */
    synchronized void handOver(ConfigurableApplicationContext ctx) {
        bootstrapClosed = true;
        application = ctx;
        if (state != State.RUNNING) {
            return;
        }
        if (!node.isRunning()) {
            release("it stopped on its own (see the gossip log above); the application starts a node of its own");
            return;
        }
        Binder binder = Binder.get(ctx.getEnvironment());
        if (!binder.bind(GossipProperties.PREFIX + ".enabled", Boolean.class).orElse(true)) {
            release("spring.cloud.gossip.enabled is false in the application's configuration");
            return;
        }
        GossipProperties configured = binder.bindOrCreate(GossipProperties.PREFIX, Bindable.of(GossipProperties.class));
        List<String> changed = settings.changedIn(NodeSettings.of(configured, node.name()));
        if (!changed.isEmpty()) {
            release("the application's configuration (with what the Config server served) changes " + changed
                    + ", which a running node cannot adopt; the application starts a node of its own");
            return;
        }
        ConfigurableListableBeanFactory beans = ctx.getBeanFactory();
        if (!(beans instanceof DefaultSingletonBeanRegistry registry) || beans.containsBean(BEAN_NAME)) {
            release("the application context cannot take it over (bean factory " + beans.getClass().getName()
                    + (beans.containsBean(BEAN_NAME) ? " already has a bean named " + BEAN_NAME : "") + ")");
            return;
        }
        if (!configured.getTags().equals(tags)) {
            node.setTags(Map.copyOf(configured.getTags()));
        }
        node.removeListener(index); // the application builds its own index over the node
        beans.registerSingleton(BEAN_NAME, node);
        registry.registerDisposableBean(BEAN_NAME, node::close); // as the starter's own bean: leave, then shut down
        ctx.getEnvironment().getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE,
                Map.of(GossipProperties.PREFIX + ".node-name", node.name())));
        state = State.HANDED_OVER;
        log.info("Gossip node '{}', started to look for the Config server, now serves the application", node.name());
    }

    /** The application failed to start: leave and shut down, unless its context already owns the node. */
    synchronized void releaseUnlessHandedOver(String reason) {
        if (state == State.RUNNING) {
            release(reason);
        }
    }

    private void release(String reason) {
        long start = System.nanoTime();
        node.removeListener(index);
        boolean peers = node.members().stream()
                .anyMatch(m -> m.status() == MemberStatus.ALIVE && !m.name().equals(node.name()));
        if (peers) {
            node.close(); // leave first, so peers see "left" rather than a failure
        } else {
            node.shutdown(); // nobody to tell: skip the leave's propagation delay
        }
        state = State.RELEASED;
        log.info("Gossip node '{}', started to look for the Config server, left and stopped in {} ms: {}", node.name(),
                (System.nanoTime() - start) / 1_000_000, reason);
    }

    /** The service id the starter would register under: its default node name starts with it. */
    private static String serviceId(Binder binder, BindHandler handler) {
        for (String property : List.of(GossipProperties.PREFIX + ".discovery.service-id", "spring.application.name")) {
            String id = binder.bind(property, Bindable.of(String.class), handler).orElse("");
            if (!id.isBlank()) {
                return id;
            }
        }
        return "application";
    }

    /** Like the starter: when binding to all interfaces with no advertise address, spring.cloud.inetutils picks one. */
    private static String advertiseFallback(GossipProperties p, Binder binder, BindHandler handler) {
        if (p.getAdvertiseAddress() != null && !p.getAdvertiseAddress().isBlank() || !isWildcard(p.getBindAddress())) {
            return null;
        }
        InetUtilsProperties inet = binder.bind(InetUtilsProperties.PREFIX, Bindable.of(InetUtilsProperties.class),
                handler).orElseGet(InetUtilsProperties::new);
        try (InetUtils utils = new InetUtils(inet)) {
            return utils.findFirstNonLoopbackHostInfo().getIpAddress();
        }
    }

    private static boolean isWildcard(String address) {
        try {
            return address == null || InetAddress.getByName(address).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false; // GossipNodeFactory reports the bad address, naming the property
        }
    }
}
