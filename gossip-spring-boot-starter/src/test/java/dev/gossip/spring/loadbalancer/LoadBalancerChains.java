package dev.gossip.spring.loadbalancer;

import java.util.ArrayList;
import java.util.List;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/** The classes of a supplier chain, outermost first, down to its base. */
public final class LoadBalancerChains {

    private LoadBalancerChains() {}

    public static List<Class<?>> of(ServiceInstanceListSupplier supplier) {
        List<Class<?>> out = new ArrayList<>();
        ServiceInstanceListSupplier s = supplier;
        while (s != null) {
            out.add(s.getClass());
            s = s instanceof DelegatingServiceInstanceListSupplier d ? d.getDelegate() : null;
        }
        return out;
    }
}
