package dev.gossip.spring.catalog;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

/**
 * The catalog's routes in the management server's own context, with
 * {@code spring.cloud.gossip.catalog.server=management} and a {@code management.server.port} of
 * its own; the feed is the application context's. Same annotation and imports file on Boot 3.5
 * and 4.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnProperty(value = "spring.cloud.gossip.catalog.server", havingValue = "management")
@ConditionalOnBean(CatalogApi.class)
@Import(CatalogRoutes.class)
public class CatalogManagementContextConfiguration {
}
