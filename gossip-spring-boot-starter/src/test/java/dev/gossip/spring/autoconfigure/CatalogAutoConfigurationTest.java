package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.spring.catalog.CatalogFeed;
import dev.gossip.spring.catalog.GossipCatalogAutoConfiguration;
import dev.gossip.spring.support.GossipStartupException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Where the catalog's routes go, and start-up checks, without starting a web server (off by default
 * and the application server's routes are in the app tests, dev.gossip.spring.catalog).
 */
class CatalogAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(StarterContexts.GOSSIP).withConfiguration(StarterContexts.CLOUD)
            .withConfiguration(AutoConfigurations.of(GossipCatalogAutoConfiguration.class))
            .withPropertyValues(StarterContexts.PROPERTIES);

    @Test
    void notOnTheApplicationServerWhenTheManagementServerHasItsOwnPort() {
        runner.withPropertyValues("spring.cloud.gossip.catalog.enabled=true", "spring.cloud.gossip.catalog.server=management",
                "management.server.port=9001").run(ctx -> assertThat(ctx).hasSingleBean(CatalogFeed.class)
                .doesNotHaveBean("gossipCatalogRoutes"));
    }

    @Test
    void onTheApplicationServerWhenTheManagementServerSharesItsPort() {
        runner.withPropertyValues("spring.cloud.gossip.catalog.enabled=true", "spring.cloud.gossip.catalog.server=management",
                "server.port=8080", "management.server.port=8080").run(ctx -> assertThat(ctx).hasBean("gossipCatalogRoutes"));
    }

    @Test
    void aKeepAliveOfZeroFailsTheStart() {
        runner.withPropertyValues("spring.cloud.gossip.catalog.enabled=true", "spring.cloud.gossip.catalog.keep-alive=0")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().isInstanceOf(GossipStartupException.class)
                        .hasMessageContaining("spring.cloud.gossip.catalog.keep-alive"));
    }
}
