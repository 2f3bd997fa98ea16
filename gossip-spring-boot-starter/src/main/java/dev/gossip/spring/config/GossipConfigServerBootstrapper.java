package dev.gossip.spring.config;

import org.springframework.boot.bootstrap.BootstrapRegistry;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.bootstrap.BootstrapRegistryInitializer;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.config.client.ConfigServerInstanceProvider;
import org.springframework.util.ClassUtils;

/**
 * Discovery-first Spring Cloud Config over gossip: with {@code spring.cloud.config.discovery.enabled=true}
 * and {@code spring.config.import=[optional:]configserver:}, the Config client asks the bootstrap
 * registry for a {@code ConfigServerInstanceProvider.Function}; this provides one backed by a gossip
 * node started for the purpose, because the application context (and its gossip node) does not
 * exist yet.
 *
 * <p>Nothing is started unless the Config client actually asks, and only when gossip is enabled
 * ({@code spring.cloud.gossip.enabled}, {@code spring.cloud.gossip.discovery.enabled},
 * {@code spring.cloud.discovery.enabled}). When the bootstrap context closes, the node is handed to
 * the application context as its {@code gossipNode} bean (see {@link BootstrapGossipNode}), so the
 * application keeps the node, name and port that found the Config server. If the application fails
 * to start before that, {@link BootstrapGossipNodeCleanup} leaves the cluster and shuts it down.
 *
 * <p>Config-data only: the legacy {@code bootstrap.yml} path (spring-cloud-starter-bootstrap)
 * looks for a DiscoveryClient bean in a bootstrap application context, which this does not provide.
 */
public class GossipConfigServerBootstrapper implements BootstrapRegistryInitializer {

    private static final String CONFIG_CLIENT_CLASS = "org.springframework.cloud.config.client.ConfigServerInstanceProvider";

    @Override
    public void initialize(BootstrapRegistry registry) {
        if (!ClassUtils.isPresent(CONFIG_CLIENT_CLASS, getClass().getClassLoader())) {
            return;
        }
        BootstrapGossipNode node = new BootstrapGossipNode();
        registry.register(BootstrapGossipNode.class, InstanceSupplier.of(node));
        // in a class of its own so that this one loads without the Config client on the class path
        ConfigClient.register(registry, node);
        registry.addCloseListener(event -> node.handOver(event.getApplicationContext()));
    }

    private static final class ConfigClient {
        static void register(BootstrapRegistry registry, BootstrapGossipNode node) {
            // registerIfAbsent: an application that set up its own lookup keeps it
            registry.registerIfAbsent(ConfigServerInstanceProvider.Function.class,
                    context -> new GossipConfigServerInstances(node, context.getOrElse(Binder.class, null),
                            context.getOrElse(BindHandler.class, null)));
        }
    }
}
