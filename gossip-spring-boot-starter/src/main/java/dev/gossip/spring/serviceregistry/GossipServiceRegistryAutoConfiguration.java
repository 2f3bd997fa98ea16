package dev.gossip.spring.serviceregistry;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.spring.ConditionalOnGossipDiscoveryEnabled;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.GossipProperties;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registration of this application as a service: the registry, auto-registration, status follow.
 * Ordered after Boot's health endpoint so that {@code @ConditionalOnBean(HealthEndpoint.class)}
 * sees it (by name: spring-boot-health is optional).
 */
@AutoConfiguration(after = {GossipAutoConfiguration.class, AutoServiceRegistrationConfiguration.class},
        afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
        before = ServiceRegistryAutoConfiguration.class)
@ConditionalOnGossipDiscoveryEnabled
@ConditionalOnBean(GossipNode.class)
@ConditionalOnProperty(value = "spring.cloud.service-registry.enabled", matchIfMissing = true)
public class GossipServiceRegistryAutoConfiguration {

    /** Registration beans exist unless spring.cloud.gossip.discovery.register=false. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(value = "spring.cloud.gossip.discovery.register", matchIfMissing = true)
    static class Registering {

        @Bean
        @ConditionalOnMissingBean
        GossipRegistration gossipRegistration(GossipNode node, GossipDiscoveryProperties d, Environment env,
                                              ObjectProvider<InetUtils> inetUtils) {
            String host = d.getHostname();
            if (host == null || host.isBlank()) {
                InetUtils utils = inetUtils.getIfAvailable();
                host = d.isPreferIpAddress() || utils == null
                        ? node.localMember().map(Member::address).map(a -> a.getHostAddress()).orElse("127.0.0.1")
                        : utils.findFirstNonLoopbackHostInfo().getHostname();
            }
            boolean secure = d.getSecure() != null ? d.getSecure()
                    : env.getProperty("server.ssl.enabled", Boolean.class, false);
            return new GossipRegistration(GossipAutoConfiguration.serviceId(d, env),
                    d.getInstanceId() != null && !d.getInstanceId().isBlank() ? d.getInstanceId() : node.name(),
                    host, d.getPort() != null ? d.getPort() : 0, secure, d.getZone(), d.getMetadata());
        }

        @Bean
        @ConditionalOnMissingBean
        GossipServiceRegistry gossipServiceRegistry(GossipNode node, GossipProperties properties,
                                                    ObjectProvider<GossipRegistration> registration) {
            GossipServiceRegistry registry = new GossipServiceRegistry(node, Map.copyOf(properties.getTags()));
            registration.ifAvailable(registry::checkTagSize); // oversize metadata fails the start, not readiness
            return registry;
        }

        @Bean
        @ConditionalOnClass(WebServerInitializedEvent.class)
        WebServerPortListener gossipWebServerPortListener(GossipRegistration registration, GossipDiscoveryProperties d) {
            return new WebServerPortListener(registration, d.getPort() != null);
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(HealthEndpoint.class)
        static class FollowHealth {
            @Bean
            @ConditionalOnBean(HealthEndpoint.class)
            HealthStatusFollower gossipHealthStatusFollower(GossipServiceRegistry registry, HealthEndpoint health,
                                                            GossipDiscoveryProperties d) {
                return new HealthStatusFollower(registry, () -> health.health().getStatus().getCode(),
                        d.getHealthHysteresis(), d.getHealthCheckInterval());
            }
        }
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(value = "spring.cloud.service-registry.auto-registration.enabled", matchIfMissing = true)
    GossipAutoServiceRegistration gossipAutoServiceRegistration(ObjectProvider<GossipServiceRegistry> registry,
                                                                ObjectProvider<GossipRegistration> registration,
                                                                GossipDiscoveryProperties d,
                                                                ApplicationEventPublisher publisher) {
        return new GossipAutoServiceRegistration(registry.getIfAvailable(), registration.getIfAvailable(), d, publisher);
    }
}
