package dev.gossip.benchmarks;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.discovery.GossipDiscoveryClient;
import dev.gossip.spring.discovery.ServiceIndex;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cloud.client.ServiceInstance;

/**
 * {@link GossipDiscoveryClient#getInstances} on a 1000-member view (20 services of 50 instances),
 * built in memory: no network, no gossip thread. What a load balancer or a
 * {@code @LoadBalanced} client pays per request for discovery.
 *
 * <p>Run with {@code -prof gc} for the allocation per call ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GetInstancesBenchmark {

    @Param("1000")
    int members;

    @Param("20")
    int services;

    /** Fields, not constants, so the JIT cannot fold the lookup away. */
    String serviceId = "svc-7";
    String mixedCaseServiceId = "Svc-7";

    GossipDiscoveryClient client;

    @Setup
    public void setUp() {
        List<Member> view = view(members, services);
        ServiceIndex index = new ServiceIndex(() -> view, Set.of("UP"));
        // never started: getInstances only reads the index
        client = new GossipDiscoveryClient(index, idleNode(), 0);
        int expected = members / services;
        if (client.getInstances(serviceId).size() != expected
                || client.getInstances(mixedCaseServiceId).size() != expected) {
            throw new IllegalStateException("expected " + expected + " instances of " + serviceId);
        }
    }

    /** The usual call: the id as the service registered it. */
    @Benchmark
    public List<ServiceInstance> getInstances() {
        return client.getInstances(serviceId);
    }

    /** Ids are case-insensitive; this one needs folding. */
    @Benchmark
    public List<ServiceInstance> getInstancesMixedCase() {
        return client.getInstances(mixedCaseServiceId);
    }

    /** {@code members} alive members, member i in service {@code svc-(i % services)}, on loopback addresses. */
    static List<Member> view(int members, int services) {
        List<Member> view = new ArrayList<>(members);
        for (int i = 0; i < members; i++) {
            String name = "svc-" + (i % services) + "-" + i;
            Map<String, String> tags = Map.of("service", "svc-" + (i % services), "port", "8080",
                    "status", "UP", "zone", "zone-" + (i % 3), "version", "1.4.2");
            view.add(new Member(name, address(i), 7946, tags, MemberStatus.ALIVE, false, 1, 5, 2, 2, 5, 4, 1));
        }
        return view;
    }

    /** A node that is never started: no network, no gossip thread, no peers, so no RTT estimates. */
    static GossipNode idleNode() {
        return GossipNode.create(GossipConfig.builder().nodeName("bench").build(),
                new GossipNode.Runtime(null, null, null, () -> { }));
    }

    private static InetAddress address(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 250), (byte) (i % 250 + 1)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
