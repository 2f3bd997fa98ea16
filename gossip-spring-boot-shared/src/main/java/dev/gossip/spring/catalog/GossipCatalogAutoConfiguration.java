package dev.gossip.spring.catalog;

import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipProperties;
import dev.gossip.spring.client.GossipMode;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.serviceregistry.GossipRegistration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistryAutoConfiguration;
import dev.gossip.spring.support.GossipStartupException;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The catalog API (docs/catalog.md), off unless {@code spring.cloud.gossip.catalog.enabled=true}:
 * the feed, its metrics, the {@code catalog} tag, and the routes when the application's server
 * serves it. With {@code server=management} on a port of its own the routes are in the
 * management context instead ({@link CatalogManagementContextConfiguration}).
 */
@AutoConfiguration(after = {GossipAutoConfiguration.class, GossipServiceRegistryAutoConfiguration.class})
@ConditionalOnWebApplication
@ConditionalOnBean(ServiceIndex.class)
@ConditionalOnProperty(value = "spring.cloud.gossip.catalog.enabled", havingValue = "true")
@Conditional(GossipMode.Member.class) // a thin client serves no catalog: it has only a copy of one
public class GossipCatalogAutoConfiguration {

    @Bean
    CatalogFeed gossipCatalogFeed(ServiceIndex index, GossipProperties properties) {
        GossipProperties.Catalog c = properties.getCatalog();
        requirePositive(c.getMaxWatchers(), "max-watchers");
        requirePositive(c.getMaxPendingEvents(), "max-pending-events");
        requirePositive(c.getKeepAlive().toMillis(), "keep-alive");
        return new CatalogFeed(index, c.getMaxWatchers(), c.getMaxPendingEvents());
    }

    private static void requirePositive(long value, String property) {
        if (value <= 0) {
            throw new GossipStartupException(GossipProperties.PREFIX + ".catalog." + property,
                    "spring.cloud.gossip.catalog." + property + " must be positive", "Set it to a positive value"
                    + (property.equals("keep-alive") ? " (at least 1ms)" : ""), null);
        }
    }

    @Bean
    CatalogApi gossipCatalogApi(CatalogFeed feed, GossipProperties properties) {
        GossipProperties.Catalog c = properties.getCatalog();
        return new CatalogApi(feed, c.getPath(), c.getKeepAlive());
    }

    @Bean
    @ConditionalOnBean(GossipRegistration.class)
    CatalogTag gossipCatalogTag(GossipProperties properties, Environment env, GossipRegistration registration) {
        return CatalogTag.of(CatalogServer.of(env), CatalogApi.basePath(properties.getCatalog().getPath()), env,
                registration.isSecure());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {
        @Bean
        CatalogMetrics gossipCatalogMetrics(CatalogFeed feed) {
            return new CatalogMetrics(feed);
        }
    }

    /** The routes, unless the management server serves the catalog on a port of its own (or nothing does). */
    @Configuration(proxyBeanMethods = false)
    @Conditional(CatalogServer.OnApplicationServer.class)
    @Import(CatalogRoutes.class)
    static class ApplicationServer {
    }
}
