package dev.gossip.spring.autoconfigure;

import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.actuate.GossipActuatorAutoConfiguration;
import dev.gossip.spring.boot.GossipBootLineAutoConfiguration;
import dev.gossip.spring.client.GossipClientAutoConfiguration;
import dev.gossip.spring.discovery.GossipDiscoveryClientAutoConfiguration;
import dev.gossip.spring.dns.GossipDnsAutoConfiguration;
import dev.gossip.spring.loadbalancer.GossipLoadBalancerAutoConfiguration;
import dev.gossip.spring.messaging.GossipMessagingAutoConfiguration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;

/**
 * The starter's auto-configurations with the Spring Cloud ones it works with, in an
 * {@link ApplicationContextRunner}: each context starts a real gossip node on 127.0.0.1 and a
 * free port, with LOCAL timings and no drain.
 */
public final class StarterContexts {

    static final AutoConfigurations GOSSIP = AutoConfigurations.of(GossipAutoConfiguration.class,
            GossipDiscoveryClientAutoConfiguration.class, GossipServiceRegistryAutoConfiguration.class,
            GossipLoadBalancerAutoConfiguration.class, GossipActuatorAutoConfiguration.class,
            GossipMessagingAutoConfiguration.class, GossipBootLineAutoConfiguration.class,
            GossipClientAutoConfiguration.class, GossipDnsAutoConfiguration.class);

    static final AutoConfigurations CLOUD = AutoConfigurations.of(UtilAutoConfiguration.class,
            SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
            ReactiveCompositeDiscoveryClientAutoConfiguration.class, SimpleReactiveDiscoveryClientAutoConfiguration.class,
            AutoServiceRegistrationAutoConfiguration.class, AutoServiceRegistrationConfiguration.class,
            ServiceRegistryAutoConfiguration.class,
            org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class,
            org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration.class);

    static final String[] PROPERTIES = {
            "spring.application.name=orders",
            "spring.cloud.gossip.bind-address=127.0.0.1",
            "spring.cloud.gossip.bind-port=0",
            "spring.cloud.gossip.drain-period=0",
            "spring.cloud.gossip.profile=local"};

    private StarterContexts() {}

    public static ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(GOSSIP).withConfiguration(CLOUD)
                .withPropertyValues(PROPERTIES);
    }
}
