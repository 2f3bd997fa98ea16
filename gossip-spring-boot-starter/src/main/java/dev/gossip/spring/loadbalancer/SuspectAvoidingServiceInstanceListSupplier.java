package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.discovery.GossipServiceInstance;
import java.util.ArrayList;
import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * Skips instances whose node the failure detector currently suspects, while other instances
 * exist: a crashed instance stops being chosen about a second after it stops answering probes,
 * seconds before it is declared failed. Falls back to the whole list when every instance is
 * suspected (a partition seen from our side).
 */
public class SuspectAvoidingServiceInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

    public SuspectAvoidingServiceInstanceListSupplier(ServiceInstanceListSupplier delegate) {
        super(delegate);
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return delegate.get().map(SuspectAvoidingServiceInstanceListSupplier::avoidSuspects);
    }

    @Override
    public Flux<List<ServiceInstance>> get(Request request) {
        return delegate.get(request).map(SuspectAvoidingServiceInstanceListSupplier::avoidSuspects);
    }

    /** The unsuspected instances; {@code all} itself (no copy) when none or all are suspected. */
    static List<ServiceInstance> avoidSuspects(List<ServiceInstance> all) {
        List<ServiceInstance> out = null;
        for (int i = 0; i < all.size(); i++) {
            boolean suspect = all.get(i) instanceof GossipServiceInstance g && g.isSuspect();
            if (suspect && out == null) {
                out = new ArrayList<>(all.subList(0, i));
            } else if (!suspect && out != null) {
                out.add(all.get(i));
            }
        }
        return out == null || out.isEmpty() ? all : out;
    }
}
