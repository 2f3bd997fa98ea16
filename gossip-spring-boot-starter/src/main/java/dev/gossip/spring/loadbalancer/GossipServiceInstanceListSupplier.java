package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceIndex;
import java.util.ArrayList;
import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * Pushes each new instance list of a service to the load balancer the moment gossip changes it:
 * no polling and no TTL cache in between. On top: instances whose node is currently suspected
 * are skipped while others exist, and instances in our own zone are preferred when there are any.
 */
public class GossipServiceInstanceListSupplier implements ServiceInstanceListSupplier {

    private final String serviceId;
    private final ServiceIndex index;
    private final String zone;

    /** @param zone our own zone, or null for no zone preference */
    public GossipServiceInstanceListSupplier(String serviceId, ServiceIndex index, String zone) {
        this.serviceId = serviceId;
        this.index = index;
        this.zone = zone == null || zone.isBlank() ? null : zone;
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return index.watch(serviceId).map(this::choose);
    }

    /** Suspect avoidance, then zone preference; each falls back to the wider list when empty. */
    List<ServiceInstance> choose(List<ServiceInstance> all) {
        List<ServiceInstance> healthy = filter(all, false);
        return zone == null ? healthy : filter(healthy, true);
    }

    private List<ServiceInstance> filter(List<ServiceInstance> in, boolean byZone) {
        List<ServiceInstance> out = null;
        for (int i = 0; i < in.size(); i++) {
            ServiceInstance si = in.get(i);
            boolean keep = byZone ? zone.equalsIgnoreCase(zoneOf(si)) : !isSuspect(si);
            if (!keep && out == null) {
                out = new ArrayList<>(in.subList(0, i));
            } else if (keep && out != null) {
                out.add(si);
            }
        }
        if (out == null) {
            return in; // all kept: no copy
        }
        return out.isEmpty() ? in : out;
    }

    private static boolean isSuspect(ServiceInstance si) {
        return si instanceof GossipServiceInstance g && g.isSuspect();
    }

    private static String zoneOf(ServiceInstance si) {
        return si.getMetadata() == null ? null : si.getMetadata().get("zone");
    }
}
