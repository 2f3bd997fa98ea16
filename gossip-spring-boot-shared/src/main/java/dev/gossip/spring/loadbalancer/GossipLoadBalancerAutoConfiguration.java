package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.ConditionalOnGossipDiscoveryEnabled;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.ServiceIndex;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.loadbalancer.LoadBalancedRetryFactory;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.reactive.LoadBalancedExchangeFilterFunction;
import org.springframework.cloud.client.loadbalancer.reactive.RetryableLoadBalancerExchangeFilterFunction;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Makes gossip the base of every {@code @LoadBalanced} client's instance list (see
 * {@link GossipLoadBalancerClientConfiguration}) unless
 * {@code spring.cloud.gossip.discovery.load-balancer.enabled=false}, and tells Spring Cloud
 * LoadBalancer our zone when {@code spring.cloud.loadbalancer.zone} is not set (as Eureka does).
 * A failed call quarantines its instance and has its member probed out of turn
 * ({@code load-balancer.avoid-unreachable}); a call whose connection could not be made is sent
 * once more to another instance ({@code load-balancer.retry-connect-failures}).
 */
@AutoConfiguration(after = GossipAutoConfiguration.class, before = LoadBalancerAutoConfiguration.class)
@ConditionalOnGossipDiscoveryEnabled
@ConditionalOnClass(LoadBalancerClientFactory.class)
@ConditionalOnBean(ServiceIndex.class)
public class GossipLoadBalancerAutoConfiguration {

    @Bean
    GossipZoneConfigurer gossipZoneConfigurer(ObjectProvider<LoadBalancerZoneConfig> zoneConfig,
                                              GossipDiscoveryProperties properties, Environment env) {
        return new GossipZoneConfigurer(zoneConfig, properties, env);
    }

    /** The gossip base for every load-balancer client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(value = "spring.cloud.gossip.discovery.load-balancer.enabled", matchIfMissing = true)
    @LoadBalancerClients(defaultConfiguration = GossipLoadBalancerClientConfiguration.class)
    static class GossipBase {
    }

    /**
     * Instances this application's calls fail to reach are quarantined (out of its load balancers)
     * and their member is probed out of turn.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(value = "spring.cloud.gossip.discovery.load-balancer.avoid-unreachable", matchIfMissing = true)
    static class AvoidUnreachable {

        @Bean
        Quarantine gossipQuarantine(MemberProbes members, ServiceIndex index, GossipDiscoveryProperties properties) {
            GossipDiscoveryProperties.LoadBalancer lb = properties.getLoadBalancer();
            return new Quarantine(members, members.recheckEvery(), lb.getQuarantine(),
                    lb.getMaxQuarantinedShare(), serviceId -> index.instances(serviceId).size());
        }

        @Bean
        CallFailureLifecycle gossipCallFailureLifecycle(Quarantine quarantine) {
            return new CallFailureLifecycle(quarantine);
        }
    }

    /** A call whose connection could not be made is sent once more, to another instance. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(value = "spring.cloud.gossip.discovery.load-balancer.retry-connect-failures",
            matchIfMissing = true)
    static class RetryConnectFailures {

        @Bean
        ConnectRetries gossipConnectRetries() {
            return new ConnectRetries();
        }

        /** Wraps the blocking load balancer and WebClient's load-balancing filter, whichever exist. */
        @Bean
        static BeanPostProcessor gossipConnectRetryPostProcessor(ObjectProvider<ConnectRetries> retries) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof LoadBalancerClient client && !(bean instanceof RetryingLoadBalancerClient)) {
                        return new RetryingLoadBalancerClient(client, retries.getObject());
                    }
                    if (WEBCLIENT && ExchangeFilters.wraps(bean)) {
                        return ExchangeFilters.wrap(bean, retries.getObject());
                    }
                    if (SPRING_RETRY && SpringRetry.wraps(bean)) {
                        return SpringRetry.wrap(bean, retries.getObject());
                    }
                    return bean;
                }
            };
        }

        private static final boolean WEBCLIENT = org.springframework.util.ClassUtils.isPresent(
                "org.springframework.web.reactive.function.client.WebClient", RetryConnectFailures.class.getClassLoader());

        private static final boolean SPRING_RETRY = org.springframework.util.ClassUtils.isPresent(
                "org.springframework.retry.support.RetryTemplate", RetryConnectFailures.class.getClassLoader());

        /** Kept apart so that the post-processor loads no Spring Retry type when it is absent. */
        private static final class SpringRetry {
            static boolean wraps(Object bean) {
                return bean instanceof LoadBalancedRetryFactory;
            }

            static Object wrap(Object bean, ConnectRetries retries) {
                return ConnectFailureRetryPolicy.decorate((LoadBalancedRetryFactory) bean, retries);
            }
        }

        /** Kept apart so that the post-processor loads no WebClient type in a servlet-only application. */
        private static final class ExchangeFilters {
            static boolean wraps(Object bean) {
                return bean instanceof LoadBalancedExchangeFilterFunction
                        && !(bean instanceof RetryableLoadBalancerExchangeFilterFunction)
                        && !(bean instanceof RetryingExchangeFilterFunction);
            }

            static Object wrap(Object bean, ConnectRetries retries) {
                return new RetryingExchangeFilterFunction((LoadBalancedExchangeFilterFunction) bean, retries);
            }
        }

        /** OpenFeign's retryer, unless the application declares one. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "feign.Retryer")
        static class Feign {
            @Bean
            @ConditionalOnMissingBean(type = "feign.Retryer")
            ConnectFailureRetryer gossipConnectFailureRetryer(ConnectRetries retries) {
                return new ConnectFailureRetryer(retries);
            }
        }
    }

    @Bean
    GossipLoadBalancerMetrics gossipLoadBalancerMetrics(ObjectProvider<Quarantine> quarantine,
                                                        ObjectProvider<ConnectRetries> retries) {
        return new GossipLoadBalancerMetrics(quarantine.getIfAvailable(), retries.getIfAvailable());
    }
}
