package dev.gossip.spring.catalog;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code gossip.catalog.watchers}, {@code gossip.catalog.events} and
 * {@code gossip.catalog.disconnected{reason}}: a rising {@code overflow} count means watchers
 * (or the network to them) cannot keep up with the cluster's changes.
 */
final class CatalogMetrics implements MeterBinder {

    private static final String DISCONNECTED = "Catalog watchers cut off or refused: overflow (fell"
            + " max-pending-events behind), max-watchers (refused, max-watchers open)";

    private final CatalogFeed feed;

    CatalogMetrics(CatalogFeed feed) {
        this.feed = feed;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("gossip.catalog.watchers", feed, CatalogFeed::watchers)
                .description("Catalog watch streams open").register(registry);
        FunctionCounter.builder("gossip.catalog.events", feed, CatalogFeed::eventsQueued)
                .description("Service events queued for catalog watchers (one per watcher and change)")
                .register(registry);
        FunctionCounter.builder("gossip.catalog.disconnected", feed, CatalogFeed::overflows)
                .tag("reason", "overflow")
                .description(DISCONNECTED)
                .register(registry);
        FunctionCounter.builder("gossip.catalog.disconnected", feed, CatalogFeed::rejected)
                .tag("reason", "max-watchers")
                .description(DISCONNECTED)
                .register(registry);
    }
}
