package dev.gossip.spring;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.client.GossipMode;
import dev.gossip.spring.discovery.GossipHeartbeatPublisher;
import dev.gossip.spring.discovery.DiscoverySource;
import dev.gossip.spring.loadbalancer.MemberProbes;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.serviceregistry.GossipAutoServiceRegistration;
import dev.gossip.spring.serviceregistry.GossipRefreshListener;
import dev.gossip.spring.serviceregistry.GossipRegistration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import dev.gossip.spring.support.GossipLeaveLifecycle;
import dev.gossip.spring.support.GossipNodeFactory;
import dev.gossip.spring.support.GossipNodeLifecycle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * One gossip node per application context, started while the context refreshes (so discovery
 * works before the web server is up), left gracefully before the web server stops, shut down
 * last, and started again by {@code context.start()}. Nothing at all, no node and no socket,
 * when {@code spring.cloud.discovery.enabled=false} or {@code spring.cloud.gossip.enabled=false}
 * (the usual switches in tests, so cached test contexts never collide on the gossip port), nor in
 * thin client mode ({@code spring.cloud.gossip.client.catalog-urls}, see the client package).
 */
@AutoConfiguration(after = UtilAutoConfiguration.class)
@ConditionalOnDiscoveryEnabled
@ConditionalOnGossipEnabled
@Conditional(GossipMode.Member.class)
@EnableConfigurationProperties({GossipProperties.class, GossipDiscoveryProperties.class})
public class GossipAutoConfiguration {

    /** spring.cloud.gossip.discovery.service-id, else spring.application.name. */
    public static String serviceId(GossipDiscoveryProperties discovery, Environment env) {
        String id = discovery.getServiceId();
        return id != null && !id.isBlank() ? id : env.getProperty("spring.application.name", "application");
    }

    @Bean
    @ConditionalOnMissingBean
    public GossipNode gossipNode(GossipProperties properties, GossipDiscoveryProperties discovery, Environment env,
                                 ObjectProvider<InetUtils> inetUtils) {
        String name = properties.getNodeName() != null && !properties.getNodeName().isBlank()
                ? properties.getNodeName() : GossipNodeFactory.defaultNodeName(serviceId(discovery, env));
        InetUtils utils = inetUtils.getIfAvailable();
        String fallback = utils == null ? null : utils.findFirstNonLoopbackHostInfo().getIpAddress();
        return GossipNodeFactory.start(properties, name, properties.getTags(), fallback);
    }

    @Bean
    public GossipNodeLifecycle gossipNodeLifecycle(GossipNode node, GossipProperties properties) {
        return new GossipNodeLifecycle(node, properties.getJoinTimeout());
    }

    @Bean
    public GossipLeaveLifecycle gossipLeaveLifecycle(GossipNode node, ObjectProvider<GossipServiceRegistry> registry,
                                                     ObjectProvider<GossipAutoServiceRegistration> autoRegistration,
                                                     GossipProperties properties) {
        return new GossipLeaveLifecycle(node, registry, autoRegistration, properties.getDrainPeriod());
    }

    @Bean
    @ConditionalOnMissingBean
    public ServiceIndex gossipServiceIndex(GossipNode node, GossipDiscoveryProperties discovery) {
        return new ServiceIndex(node, discovery.getIncludeStatuses());
    }

    @Bean
    public DiscoverySource gossipDiscoverySource(GossipNode node) {
        return DiscoverySource.of(node);
    }

    @Bean
    public MemberProbes gossipMemberProbes(GossipNode node) {
        return MemberProbes.of(node);
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent")
    public GossipRefreshListener gossipRefreshListener(GossipDiscoveryProperties discovery, Environment env,
                                                       ServiceIndex index, ObjectProvider<GossipRegistration> registration,
                                                       ObjectProvider<GossipServiceRegistry> registry) {
        return new GossipRefreshListener(discovery, env, index, registration, registry);
    }

    /** HeartbeatEvent with the index version after changes, coalesced, off the gossip thread. */
    @Bean
    public GossipHeartbeatPublisher gossipHeartbeatPublisher(ServiceIndex index, ApplicationEventPublisher publisher,
                                                             GossipDiscoveryProperties discovery) {
        return new GossipHeartbeatPublisher(index, publisher, discovery.getHeartbeatDelay());
    }
}
