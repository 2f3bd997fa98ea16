package dev.gossip.spring.loadbalancer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** What failed calls did to this application's load balancers: quarantines and retries. */
public class GossipLoadBalancerMetrics implements MeterBinder {

    private final Quarantine quarantine;
    private final ConnectRetries retries;

    /** Either may be null when switched off; its meters are then not registered. */
    public GossipLoadBalancerMetrics(Quarantine quarantine, ConnectRetries retries) {
        this.quarantine = quarantine;
        this.retries = retries;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (quarantine != null) {
            Gauge.builder("gossip.loadbalancer.quarantined", quarantine, Quarantine::size)
                    .description("Instances quarantined now (out of this application's load balancers)")
                    .register(registry);
            FunctionCounter.builder("gossip.loadbalancer.quarantines", quarantine, Quarantine::quarantined)
                    .description("Instances quarantined after a failed call").register(registry);
            FunctionCounter.builder("gossip.loadbalancer.quarantines.refused", quarantine, Quarantine::refused)
                    .description("Failed calls whose instance was not quarantined: its service is at the"
                            + " max-quarantined-share already").register(registry);
        }
        if (retries != null) {
            FunctionCounter.builder("gossip.loadbalancer.retries", retries, ConnectRetries::succeeded)
                    .tag("outcome", "succeeded")
                    .description("Calls whose connection failed, sent once more to another instance")
                    .register(registry);
            FunctionCounter.builder("gossip.loadbalancer.retries", retries, ConnectRetries::failedRetries)
                    .tag("outcome", "failed")
                    .description("Calls whose connection failed, sent once more to another instance")
                    .register(registry);
        }
    }
}
