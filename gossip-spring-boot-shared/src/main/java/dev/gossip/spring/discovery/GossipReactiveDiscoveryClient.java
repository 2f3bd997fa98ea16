package dev.gossip.spring.discovery;

import dev.gossip.core.GossipNode;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Spring Cloud's {@link ReactiveDiscoveryClient} over the gossip member list; never blocks. */
public class GossipReactiveDiscoveryClient implements ReactiveDiscoveryClient {

    private final ServiceIndex index;
    private final DiscoverySource source;
    private final int order;

    public GossipReactiveDiscoveryClient(ServiceIndex index, GossipNode node, int order) {
        this(index, DiscoverySource.of(node), order);
    }

    public GossipReactiveDiscoveryClient(ServiceIndex index, DiscoverySource source, int order) {
        this.index = index;
        this.source = source;
        this.order = order;
    }

    @Override
    public String description() {
        return GossipDiscoveryClient.DESCRIPTION;
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.defer(() -> Flux.fromIterable(index.instances(serviceId)));
    }

    @Override
    public Flux<String> getServices() {
        return Flux.defer(() -> Flux.fromIterable(index.services()));
    }

    @Override
    public Mono<Void> reactiveProbe() {
        return Mono.fromRunnable(() -> {
            source.probe();
        });
    }

    @Override
    public int getOrder() {
        return order;
    }
}
