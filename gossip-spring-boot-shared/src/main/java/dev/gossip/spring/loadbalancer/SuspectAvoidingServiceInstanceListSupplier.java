package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.discovery.GossipServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * Skips instances whose node the failure detector currently suspects, and, given
 * {@link Quarantine}, those this application could not connect to, while other
 * instances exist: a crashed instance stops being chosen about a second after it stops answering
 * probes, seconds before it is declared failed, and one cut off from us alone as soon as a
 * connection to it fails. Falls back to the whole list when every instance is avoided (a
 * partition seen from our side). Evaluated at every choice, as the instance list is subscribed
 * to for each request.
 */
public class SuspectAvoidingServiceInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

    private static final Predicate<ServiceInstance> SUSPECT = i -> i instanceof GossipServiceInstance g && g.isSuspect();

    private final Predicate<ServiceInstance> avoid;

    public SuspectAvoidingServiceInstanceListSupplier(ServiceInstanceListSupplier delegate) {
        this(delegate, true, null);
    }

    /** Avoids suspects if {@code suspects}, and instances {@code unreachable} holds if not null. */
    public SuspectAvoidingServiceInstanceListSupplier(ServiceInstanceListSupplier delegate, boolean suspects,
                                                      Quarantine unreachable) {
        super(delegate);
        Predicate<ServiceInstance> none = i -> false;
        this.avoid = (suspects ? SUSPECT : none).or(unreachable == null ? none : unreachable::isQuarantined);
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return delegate.get().map(all -> avoid(all, avoid));
    }

    @Override
    public Flux<List<ServiceInstance>> get(Request request) {
        return delegate.get(request).map(all -> avoid(all, avoid));
    }

    /** The unsuspected instances; {@code all} itself (no copy) when none or all are suspected. */
    static List<ServiceInstance> avoidSuspects(List<ServiceInstance> all) {
        return avoid(all, SUSPECT);
    }

    /** The instances {@code avoid} doesn't match; {@code all} itself (no copy) when it matches none or all. */
    static List<ServiceInstance> avoid(List<ServiceInstance> all, Predicate<ServiceInstance> avoid) {
        List<ServiceInstance> out = null;
        for (int i = 0; i < all.size(); i++) {
            boolean suspect = avoid.test(all.get(i));
            if (suspect && out == null) {
                out = new ArrayList<>(all.subList(0, i));
            } else if (!suspect && out != null) {
                out.add(all.get(i));
            }
        }
        return out == null || out.isEmpty() ? all : out;
    }
}
