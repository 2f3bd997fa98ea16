package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.discovery.ServiceIndex;
import java.util.List;
import java.util.function.Function;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The base of every load-balancer client's supplier chain: pushes each new instance list of a
 * service the moment gossip changes it, with no polling and no TTL cache in between. Spring Cloud
 * LoadBalancer's presets decorate it (zone preference, health checks, same-instance preference,
 * weights, ...). While gossip knows no UP instance of the service, the other DiscoveryClients
 * are asked (a SimpleDiscoveryClient, a second registry), so their services stay reachable.
 */
public class GossipServiceInstanceListSupplier implements ServiceInstanceListSupplier {

    private final String serviceId;
    private final ServiceIndex index;
    private final Function<String, Mono<List<ServiceInstance>>> fallback;

    /**
     * @param fallback instances of a service from the other DiscoveryClients, asked at each
     *     request while gossip has none
     */
    public GossipServiceInstanceListSupplier(String serviceId, ServiceIndex index,
                                             Function<String, Mono<List<ServiceInstance>>> fallback) {
        this.serviceId = serviceId;
        this.index = index;
        this.fallback = fallback;
    }

    /** Gossip instances only. */
    public GossipServiceInstanceListSupplier(String serviceId, ServiceIndex index) {
        this(serviceId, index, id -> Mono.just(List.of()));
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return index.watch(serviceId).switchMap(list -> list.isEmpty()
                ? fallback.apply(serviceId).onErrorReturn(List.of()).defaultIfEmpty(List.of())
                : Mono.just(list));
    }
}
