package dev.gossip.benchmarks;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.loadbalancer.GossipServiceInstanceListSupplier;
import dev.gossip.spring.loadbalancer.NearestInstanceLoadBalancer;
import dev.gossip.spring.loadbalancer.Quarantine;
import dev.gossip.spring.loadbalancer.SuspectAvoidingServiceInstanceListSupplier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Mono;

/**
 * One load-balanced choice of an instance of {@code svc-7} (50 of a 1000-member view, 20 services)
 * through Spring Cloud LoadBalancer, over the supplier chain the starter gives every client by
 * default: {@link SuspectAvoidingServiceInstanceListSupplier} (suspected members, and the
 * {@link Quarantine} of instances our calls could not reach) over
 * {@link GossipServiceInstanceListSupplier}. No zone preference (no zone is set by default), no
 * TTL cache. {@code roundRobin} is Spring Cloud's {@link RoundRobinLoadBalancer}, the default;
 * {@code nearest} is {@link NearestInstanceLoadBalancer} ({@code load-balancer.prefer-nearest})
 * over the same chain. Index in memory, node never started: no network, no gossip thread. That
 * node has no RTT estimates, so {@code nearest} measures its no-estimate branch (at random among
 * all); with estimates it also looks up one Vivaldi coordinate per instance.
 *
 * <p>Each choice is {@code choose(new DefaultRequest<>()).block()}: the Mono every
 * {@code @LoadBalanced} client calls, taken as {@code BlockingLoadBalancerClient} takes it
 * (RestTemplate, RestClient, OpenFeign). The gossip list is replayed at subscription on the
 * caller's thread, so {@code block()} never parks; it adds its one subscriber to the cost.
 *
 * <p>Run with {@code -prof gc} for the allocation per choice ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LoadBalancerChoiceBenchmark {

    @Param("1000")
    int members;

    @Param("20")
    int services;

    /** A field, not a constant, as in GetInstancesBenchmark. */
    String serviceId = "svc-7";

    ReactorServiceInstanceLoadBalancer roundRobin;
    ReactorServiceInstanceLoadBalancer nearest;
    Quarantine quarantine;

    @Setup
    public void setUp() {
        List<Member> view = GetInstancesBenchmark.view(members, services);
        ServiceIndex index = new ServiceIndex(() -> view, Set.of("UP"));
        GossipNode node = GetInstancesBenchmark.idleNode();
        // what GossipLoadBalancerAutoConfiguration and GossipLoadBalancerClientConfiguration build from the defaults
        GossipDiscoveryProperties.LoadBalancer defaults = new GossipDiscoveryProperties().getLoadBalancer();
        quarantine = new Quarantine(node, node.config().timings().probeInterval(), defaults.getQuarantine(),
                defaults.getMaxQuarantinedShare(), id -> index.instances(id).size());
        // the fallback is asked only while gossip knows no instance: never on this path
        ServiceInstanceListSupplier chain = new SuspectAvoidingServiceInstanceListSupplier(
                new GossipServiceInstanceListSupplier(serviceId, index, id -> Mono.just(List.of())),
                defaults.isAvoidSuspects(), quarantine);
        // The client's context hands the chain out through its bean factory's provider; round robin resolves it
        // once, nearest at every choice. Frozen, as after a refresh, so type lookups are cached.
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("gossipServiceInstanceListSupplier", chain);
        beans.freezeConfiguration();
        ObjectProvider<ServiceInstanceListSupplier> suppliers =
                beans.getBeanProvider(ServiceInstanceListSupplier.class);
        roundRobin = new RoundRobinLoadBalancer(suppliers, serviceId);
        nearest = new NearestInstanceLoadBalancer(suppliers, node, new SplittableRandom());

        int expected = members / services;
        // every instance chosen, so the filters passed the whole list (nearest misses one by chance 1 in 10⁷)
        check(roundRobin, expected, expected);
        check(nearest, 20 * expected, expected);
    }

    @TearDown
    public void tearDown() {
        quarantine.destroy();
    }

    /** Spring Cloud's default load balancer. */
    @Benchmark
    public ServiceInstance roundRobin() {
        return choose(roundRobin);
    }

    /** {@code load-balancer.prefer-nearest=true}. */
    @Benchmark
    public ServiceInstance nearest() {
        return choose(nearest);
    }

    private static ServiceInstance choose(ReactorServiceInstanceLoadBalancer lb) {
        Response<ServiceInstance> response = lb.choose(new DefaultRequest<>()).block();
        return response == null ? null : response.getServer();
    }

    private void check(ReactorServiceInstanceLoadBalancer lb, int choices, int expected) {
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < choices; i++) {
            ServiceInstance instance = choose(lb);
            if (instance == null || !serviceId.equals(instance.getServiceId())) {
                throw new IllegalStateException(lb.getClass().getSimpleName() + " chose " + instance
                        + ", not an instance of " + serviceId);
            }
            chosen.add(instance.getInstanceId());
        }
        if (chosen.size() != expected) {
            throw new IllegalStateException(lb.getClass().getSimpleName() + " chose " + chosen.size() + " of the "
                    + expected + " instances of " + serviceId);
        }
    }
}
