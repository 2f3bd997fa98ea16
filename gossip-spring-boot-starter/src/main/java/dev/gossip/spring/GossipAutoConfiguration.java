package dev.gossip.spring;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import dev.gossip.spring.support.GossipLeaveLifecycle;
import dev.gossip.spring.support.GossipNodeFactory;
import dev.gossip.spring.support.GossipNodeLifecycle;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * One gossip node per application context, started while the context refreshes (so discovery
 * works before the web server is up), left gracefully before the web server stops, shut down last.
 */
@AutoConfiguration(after = UtilAutoConfiguration.class)
@ConditionalOnGossipEnabled
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
    public GossipNodeLifecycle gossipNodeLifecycle(GossipNode node) {
        return new GossipNodeLifecycle(node);
    }

    @Bean
    public GossipLeaveLifecycle gossipLeaveLifecycle(GossipNode node, ObjectProvider<GossipServiceRegistry> registry,
                                                     GossipProperties properties) {
        return new GossipLeaveLifecycle(node, registry.getIfAvailable(), properties.getDrainPeriod());
    }

    @Bean
    @ConditionalOnMissingBean
    public ServiceIndex gossipServiceIndex(GossipNode node, GossipDiscoveryProperties discovery) {
        return new ServiceIndex(node, discovery.getIncludeStatuses());
    }

    /** HeartbeatEvent with the index version, after each change, off the gossip thread. */
    @Bean(destroyMethod = "shutdownNow")
    public ExecutorService gossipHeartbeatExecutor(ServiceIndex index, ApplicationEventPublisher publisher) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gossip-heartbeat");
            t.setDaemon(true);
            return t;
        });
        index.onChange(version -> executor.execute(() -> publisher.publishEvent(new HeartbeatEvent(index, version))));
        return executor;
    }
}
