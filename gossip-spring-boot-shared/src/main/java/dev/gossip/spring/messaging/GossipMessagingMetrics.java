package dev.gossip.spring.messaging;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code gossip.events.published}, {@code gossip.events.dropped} (listeners too slow) and
 * {@code gossip.queries.handled{outcome}}: a rising drop or timeout count means the application's
 * listeners or query handlers do too much on their threads.
 */
public class GossipMessagingMetrics implements MeterBinder {

    private final GossipEventRelay relay;
    private final GossipQueryResponder responder;

    /** @param relay null when spring.cloud.gossip.events.enabled=false */
    public GossipMessagingMetrics(GossipEventRelay relay, GossipQueryResponder responder) {
        this.relay = relay;
        this.responder = responder;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (relay != null) {
            FunctionCounter.builder("gossip.events.published", relay, GossipEventRelay::published)
                    .description("Gossip user and member events handed to the application's listeners")
                    .register(registry);
            FunctionCounter.builder("gossip.events.dropped", relay, GossipEventRelay::dropped)
                    .description("Gossip events dropped because the application's listeners fell behind")
                    .register(registry);
        }
        for (QueryOutcome outcome : QueryOutcome.values()) {
            FunctionCounter.builder("gossip.queries.handled", responder, r -> r.count(outcome))
                    .tag("outcome", outcome.tag())
                    .description("Queries received for a GossipQueryHandler, by what became of them")
                    .register(registry);
        }
    }
}
