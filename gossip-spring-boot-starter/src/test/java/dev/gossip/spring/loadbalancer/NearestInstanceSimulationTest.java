package dev.gossip.spring.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipNode;
import dev.gossip.core.sim.Link;
import dev.gossip.spring.actuate.SimulatedCluster;
import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;

/**
 * Prefer-nearest in the simulator: a client and four greeters on two sites, two greeters beside
 * the client (1 ms one way) and two on the other site (10 ms one way). Once Vivaldi coordinates have settled, nearly every choice goes to a near
 * greeter, spread over both, where round robin or random choice sends half the calls far; when
 * the near greeters die, the calls move to the far ones.
 */
class NearestInstanceSimulationTest {

    private static final int CHOICES = 2_000;
    private static final long NEAR = Duration.ofMillis(1).toNanos();
    private static final long FAR = Duration.ofMillis(10).toNanos();

    @Test
    void nearInstancesGetTheCallsWhileHealthyAndTheFarOnesWhenTheyFail() {
        SimulatedCluster cluster = new SimulatedCluster(31);
        GossipNode client = cluster.start(0, Map.of());
        List<GossipNode> greeters = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            greeters.add(cluster.start(i, Map.of("service", "greeter", "port", "8080")));
        }
        // Two sites: the client and node-1, node-2 here; node-3 and node-4 over there.
        for (int a = 0; a <= 4; a++) {
            for (int b = a + 1; b <= 4; b++) {
                cluster.link(a, b, Link.fixed((a <= 2) == (b <= 2) ? NEAR : FAR));
            }
        }
        ServiceIndex index = new ServiceIndex(client, Set.of("UP"));
        cluster.runUntil(() -> index.instances("greeter").size() == 4, Duration.ofSeconds(30), "four greeters");
        // Coordinates settle as the client probes each greeter, a few times over.
        cluster.runFor(Duration.ofSeconds(60));
        for (int i = 1; i <= 4; i++) {
            System.out.printf("estimated RTT to node-%d: %s%n", i, client.estimatedRtt("node-" + i).orElseThrow());
        }

        SplittableRandom random = new SplittableRandom(7);
        List<ServiceInstance> all = index.instances("greeter");
        Map<String, Integer> nearest = count(all, client, random, true);
        Map<String, Integer> anyOne = count(all, client, random, false);
        double nearShare = share(nearest, "node-1", "node-2");
        System.out.printf("%d choices among 2 near (1 ms) and 2 far (10 ms) greeters:%n"
                        + "  prefer-nearest: %s, %.1f %% near, mean true RTT %.1f ms%n"
                        + "  random choice:  %s, %.1f %% near, mean true RTT %.1f ms%n", CHOICES, nearest,
                100 * nearShare, meanRttMillis(nearest), anyOne, 100 * share(anyOne, "node-1", "node-2"),
                meanRttMillis(anyOne));
        assertThat(nearShare).as("share of calls to the near greeters").isGreaterThanOrEqualTo(0.9);
        assertThat(nearest.getOrDefault("node-1", 0)).as("spread over both near greeters")
                .isGreaterThan(CHOICES * 2 / 5);
        assertThat(nearest.getOrDefault("node-2", 0)).isGreaterThan(CHOICES * 2 / 5);
        assertThat(meanRttMillis(nearest)).isLessThan(meanRttMillis(anyOne) / 3);

        // The near greeters die (silently): once suspected, the supplier no longer offers them.
        greeters.get(0).shutdown();
        greeters.get(1).shutdown();
        cluster.runUntil(() -> index.instances("greeter").stream().filter(i -> usable(i)).count() == 2,
                Duration.ofSeconds(30), "the near greeters suspected or gone");
        List<ServiceInstance> offered = SuspectAvoidingServiceInstanceListSupplier.avoidSuspects(
                index.instances("greeter"));
        Map<String, Integer> afterFailure = count(offered, client, random, true);
        System.out.printf("  after the near ones failed: %s%n", afterFailure);
        assertThat(afterFailure).containsOnlyKeys("node-3", "node-4");
        assertThat(afterFailure.get("node-3")).isGreaterThan(CHOICES * 2 / 5);
    }

    private static boolean usable(ServiceInstance i) {
        return !(i instanceof GossipServiceInstance g && g.isSuspect());
    }

    private static Map<String, Integer> count(List<ServiceInstance> offered, GossipNode client,
                                              SplittableRandom random, boolean nearest) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int k = 0; k < CHOICES; k++) {
            ServiceInstance chosen = nearest
                    ? NearestInstanceLoadBalancer.choose(offered, i -> client.estimatedRtt(
                            ((GossipServiceInstance) i).getMemberName()).map(Duration::toNanos).orElse(-1L), random)
                    : offered.get(random.nextInt(offered.size()));
            counts.merge(((GossipServiceInstance) chosen).getMemberName(), 1, Integer::sum);
        }
        return counts;
    }

    private static double share(Map<String, Integer> counts, String... names) {
        int n = 0;
        for (String name : names) {
            n += counts.getOrDefault(name, 0);
        }
        return n / (double) CHOICES;
    }

    /** The true round trip of the chosen greeters, from the links' latencies. */
    private static double meanRttMillis(Map<String, Integer> counts) {
        double sum = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            int i = Integer.parseInt(e.getKey().substring("node-".length()));
            sum += e.getValue() * 2.0 * (i <= 2 ? NEAR : FAR) / 1e6;
        }
        return sum / CHOICES;
    }
}
