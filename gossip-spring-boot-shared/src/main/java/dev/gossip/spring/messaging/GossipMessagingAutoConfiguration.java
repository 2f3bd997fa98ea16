package dev.gossip.spring.messaging;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipProperties;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gossip events as {@link GossipUserEvent}/{@link GossipMemberEvent}, {@link GossipMessaging}
 * to send, and {@link GossipQueryHandler} beans answering queries. Its threads are private: no
 * {@code Executor} bean competes with Boot's {@code applicationTaskExecutor}.
 */
@AutoConfiguration(after = GossipAutoConfiguration.class)
@ConditionalOnBean(GossipNode.class)
public class GossipMessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public GossipMessaging gossipMessaging(GossipNode node) {
        return new GossipMessaging(node);
    }

    @Bean
    @ConditionalOnProperty(prefix = GossipProperties.PREFIX + ".events", name = "enabled", matchIfMissing = true)
    public GossipEventRelay gossipEventRelay(GossipNode node, ApplicationEventPublisher publisher,
                                             GossipProperties properties) {
        GossipEventRelay relay = new GossipEventRelay(node, publisher, properties.getEvents().getQueueCapacity());
        node.addListener(relay);
        return relay;
    }

    /** Fails the start when two handler beans claim one query name, naming both. */
    @Bean
    public GossipQueryResponder gossipQueryResponder(GossipNode node, ListableBeanFactory beans,
                                                     GossipProperties properties) {
        GossipProperties.Queries q = properties.getQueries();
        GossipQueryResponder responder = new GossipQueryResponder(beans.getBeansOfType(GossipQueryHandler.class),
                q.getHandlerTimeout(), q.getHandlerThreads(), q.getQueueCapacity());
        node.addListener(responder);
        return responder;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        GossipMessagingMetrics gossipMessagingMetrics(ObjectProvider<GossipEventRelay> relay,
                                                      GossipQueryResponder responder) {
            return new GossipMessagingMetrics(relay.getIfAvailable(), responder);
        }
    }
}
