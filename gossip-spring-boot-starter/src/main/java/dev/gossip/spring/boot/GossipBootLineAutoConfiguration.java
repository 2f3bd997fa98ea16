package dev.gossip.spring.boot;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.actuate.GossipActuatorAutoConfiguration;
import dev.gossip.spring.actuate.GossipHealthIndicator;
import dev.gossip.spring.serviceregistry.GossipRegistration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import dev.gossip.spring.serviceregistry.GossipServiceRegistryAutoConfiguration;
import dev.gossip.spring.serviceregistry.HealthStatusFollower;
import dev.gossip.spring.serviceregistry.WebServerPortListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gossip beans built on types that moved between Boot 3.5 and 4 (health, the web server).
 * Ordered after Boot's health endpoint so that {@code @ConditionalOnBean(HealthEndpoint.class)} sees
 * it (by name: health is optional), and after the gossip auto-configurations whose beans these
 * conditions look for.
 *
 * <p>Written with Boot 4's names; gossip-spring-boot3-starter compiles this package with Boot 3.5's
 * (the table is in its pom), so both lines have the same beans and conditions.
 */
@AutoConfiguration(after = {GossipServiceRegistryAutoConfiguration.class, GossipActuatorAutoConfiguration.class},
        afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration")
@ConditionalOnBean(GossipNode.class)
public class GossipBootLineAutoConfiguration {

    /** Health component {@code gossip}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
    static class NodeHealth {
        @Bean
        @ConditionalOnMissingBean(name = "gossipHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("gossip")
        GossipHealthIndicator gossipHealthIndicator(GossipNode node) {
            return new GossipHealthIndicator(node);
        }
    }

    /** The registration follows the web server's (and management server's) port. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerInitializedEvent")
    @ConditionalOnBean(GossipRegistration.class)
    static class WebServerPort {
        @Bean
        WebServerPortListener gossipWebServerPortListener(GossipRegistration registration, GossipDiscoveryProperties d,
                                                          ObjectProvider<GossipServiceRegistry> registry) {
            return new WebServerPortListener(registration, d.getPort() != null, registry);
        }
    }

    /** Only with spring.cloud.gossip.discovery.health-group: the group's status, not the aggregate. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
    @ConditionalOnProperty("spring.cloud.gossip.discovery.health-group")
    @ConditionalOnBean(GossipServiceRegistry.class)
    static class FollowHealth {
        @Bean
        @ConditionalOnBean(HealthEndpoint.class)
        HealthStatusFollower gossipHealthStatusFollower(GossipServiceRegistry registry, HealthEndpoint health,
                                                        ObjectProvider<HealthEndpointGroups> groups,
                                                        GossipDiscoveryProperties d) {
            HealthEndpointGroups known = groups.getIfAvailable();
            return HealthStatusFollower.forGroup(registry, d, known == null ? null : known.getNames(), group -> {
                var descriptor = health.healthForPath(group);
                return descriptor == null ? null : descriptor.getStatus().getCode();
            });
        }
    }
}
