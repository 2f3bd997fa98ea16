package dev.gossip.spring.loadbalancer;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.GossipServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.NoopServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.SelectedInstanceCallback;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Mono;

/**
 * Chooses among the nearest of the instances it is offered (already without suspected and
 * quarantined ones), by the round-trip time our gossip node estimates from Vivaldi coordinates:
 * at random among those within twice the nearest one's estimate plus a millisecond, so equally
 * near instances share the load and a LAN, where every estimate is within a millisecond or two,
 * is spread over all. An instance with no estimate yet (a new one, or from another discovery
 * client) counts as near: a new instance still gets traffic at once. When the near ones fail, the
 * supplier stops offering them and the load moves to the next nearest.
 * ({@code spring.cloud.gossip.discovery.load-balancer.prefer-nearest})
 */
public class NearestInstanceLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    /** Estimates within twice the nearest plus this are "as near". */
    static final Duration SLACK = Duration.ofMillis(1);

    private final ObjectProvider<ServiceInstanceListSupplier> suppliers;
    private final GossipNode node;
    private final RandomGenerator random;

    public NearestInstanceLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> suppliers, GossipNode node,
                                       RandomGenerator random) {
        this.suppliers = suppliers;
        this.node = node;
        this.random = random;
    }

    @Override
    public Mono<Response<ServiceInstance>> choose(Request request) {
        ServiceInstanceListSupplier supplier = suppliers.getIfAvailable(NoopServiceInstanceListSupplier::new);
        return supplier.get(request).next().map(instances -> {
            ServiceInstance chosen = choose(instances, this::rttNanos, random);
            if (chosen == null) {
                return new EmptyResponse();
            }
            if (supplier instanceof SelectedInstanceCallback callback) {
                callback.selectedServiceInstance(chosen);
            }
            return new DefaultResponse(chosen);
        });
    }

    /** The estimated RTT to the instance's node, or -1 when there is none. */
    private long rttNanos(ServiceInstance instance) {
        if (instance instanceof GossipServiceInstance g) {
            Optional<Duration> rtt = node.estimatedRtt(g.getMemberName());
            return rtt.map(Duration::toNanos).orElse(-1L);
        }
        return -1;
    }

    /** The RTT of an instance in nanoseconds, or -1 when unknown. */
    @FunctionalInterface
    interface Rtt {
        long nanos(ServiceInstance instance);
    }

    /** One instance at random among the nearest of {@code instances}; null if there are none. */
    static ServiceInstance choose(List<ServiceInstance> instances, Rtt rtt, RandomGenerator random) {
        if (instances.isEmpty()) {
            return null;
        }
        long[] rtts = new long[instances.size()];
        long nearest = Long.MAX_VALUE;
        for (int i = 0; i < rtts.length; i++) {
            rtts[i] = rtt.nanos(instances.get(i));
            if (rtts[i] >= 0) {
                nearest = Math.min(nearest, rtts[i]);
            }
        }
        if (nearest == Long.MAX_VALUE) {
            return instances.get(random.nextInt(instances.size()));
        }
        long limit = 2 * nearest + SLACK.toNanos();
        List<ServiceInstance> near = new ArrayList<>(rtts.length);
        for (int i = 0; i < rtts.length; i++) {
            if (rtts[i] < 0 || rtts[i] <= limit) {
                near.add(instances.get(i));
            }
        }
        return near.get(random.nextInt(near.size()));
    }
}
