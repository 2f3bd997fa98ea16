package dev.gossip.spring.serviceregistry;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.spring.ConditionalOnGossipDiscoveryEnabled;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.GossipProperties;
import dev.gossip.spring.support.GossipStartupException;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.RegistrationLifecycle;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registration of this application as a service: the registry, auto-registration, readiness and
 * health-group following. Ordered after Boot's health endpoint so that
 * {@code @ConditionalOnBean(HealthEndpoint.class)} sees it (by name: spring-boot-health is optional).
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
            boolean secure = WebServerSsl.isSecure(d, env);
            return new GossipRegistration(GossipAutoConfiguration.serviceId(d, env),
                    d.getInstanceId() != null && !d.getInstanceId().isBlank() ? d.getInstanceId() : node.name(),
                    host, d.getPort() != null ? d.getPort() : 0, secure, d.getZone(), d.getMetadata(),
                    ManagementMetadata.from(env, secure));
        }

        @Bean
        @ConditionalOnMissingBean
        GossipServiceRegistry gossipServiceRegistry(GossipNode node, GossipProperties properties,
                                                    ObjectProvider<GossipRegistration> registration) {
            ServiceMetadata.requireNoReservedKeys(properties.getTags(), GossipProperties.PREFIX + ".tags");
            GossipServiceRegistry registry = new GossipServiceRegistry(node, properties::getTags);
            registration.ifAvailable(registry::checkTagSize); // oversize metadata fails the start, not readiness
            return registry;
        }

        @Bean
        @ConditionalOnClass(WebServerInitializedEvent.class)
        WebServerPortListener gossipWebServerPortListener(GossipRegistration registration, GossipDiscoveryProperties d,
                                                          ObjectProvider<GossipServiceRegistry> registry) {
            return new WebServerPortListener(registration, d.getPort() != null, registry);
        }

        @Bean
        ReadinessStatusFollower gossipReadinessStatusFollower(GossipServiceRegistry registry) {
            return new ReadinessStatusFollower(registry);
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.cloud.context.restart.PauseHandler")
        GossipPauseHandler gossipPauseHandler(GossipServiceRegistry registry) {
            return new GossipPauseHandler(registry);
        }

        /** Only with spring.cloud.gossip.discovery.health-group: the group's status, not the aggregate. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(HealthEndpoint.class)
        @ConditionalOnProperty("spring.cloud.gossip.discovery.health-group")
        static class FollowHealth {
            @Bean
            @ConditionalOnBean(HealthEndpoint.class)
            HealthStatusFollower gossipHealthStatusFollower(GossipServiceRegistry registry, HealthEndpoint health,
                                                            ObjectProvider<HealthEndpointGroups> groups,
                                                            GossipDiscoveryProperties d) {
                String group = d.getHealthGroup().trim();
                HealthEndpointGroups known = groups.getIfAvailable();
                if (known != null && known.get(group) == null) {
                    throw new GossipStartupException(GossipDiscoveryProperties.PREFIX + ".health-group",
                            "Health group '" + group + "' does not exist (groups: " + known.getNames() + ")",
                            "Set spring.cloud.gossip.discovery.health-group to one of " + known.getNames()
                                    + ", define management.endpoint.health.group." + group + ".include, or enable"
                                    + " the probes groups with management.endpoint.health.probes.enabled=true", null);
                }
                return new HealthStatusFollower(registry, () -> {
                    var descriptor = health.healthForPath(group);
                    return descriptor == null ? "UNKNOWN" : descriptor.getStatus().getCode();
                }, d.getHealthHysteresis(), d.getHealthCheckInterval());
            }
        }
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(value = "spring.cloud.service-registry.auto-registration.enabled", matchIfMissing = true)
    GossipAutoServiceRegistration gossipAutoServiceRegistration(ObjectProvider<GossipServiceRegistry> registry,
                                                                ObjectProvider<GossipRegistration> registration,
                                                                GossipDiscoveryProperties d,
                                                                ApplicationEventPublisher publisher,
                                                                ObjectProvider<RegistrationLifecycle<GossipRegistration>> lifecycles) {
        List<RegistrationLifecycle<GossipRegistration>> hooks = lifecycles.orderedStream().toList();
        return new GossipAutoServiceRegistration(registry.getIfAvailable(), registration.getIfAvailable(), d,
                publisher, hooks);
    }
}
