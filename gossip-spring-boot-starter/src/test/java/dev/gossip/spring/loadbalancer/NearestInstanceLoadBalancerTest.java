package dev.gossip.spring.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/** Which instances count as nearest, given estimated RTTs. */
class NearestInstanceLoadBalancerTest {

    private static final long MS = 1_000_000;

    private final SplittableRandom random = new SplittableRandom(3);

    private static ServiceInstance instance(String id) {
        return new DefaultServiceInstance(id, "greeter", "10.0.0.1", 8080, false);
    }

    private Map<String, Integer> choices(List<ServiceInstance> instances, Map<String, Long> rttMillis) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 1_000; i++) {
            ServiceInstance chosen = NearestInstanceLoadBalancer.choose(instances,
                    si -> rttMillis.containsKey(si.getInstanceId()) ? rttMillis.get(si.getInstanceId()) * MS : -1,
                    random);
            counts.merge(chosen.getInstanceId(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void onlyInstancesWithinTwiceTheNearestPlusAMillisecondAreChosen() {
        List<ServiceInstance> all = List.of(instance("a"), instance("b"), instance("c"));
        Map<String, Integer> counts = choices(all, Map.of("a", 2L, "b", 5L, "c", 6L));
        assertThat(counts).containsOnlyKeys("a", "b"); // limit 2 * 2 + 1 = 5 ms
        assertThat(counts.get("a")).isBetween(400, 600);
    }

    @Test
    void aLanWhereEveryEstimateIsWithinAMillisecondSpreadsOverAll() {
        List<ServiceInstance> all = List.of(instance("a"), instance("b"), instance("c"));
        assertThat(choices(all, Map.of("a", 0L, "b", 1L, "c", 1L))).containsOnlyKeys("a", "b", "c");
    }

    @Test
    void anInstanceWithoutAnEstimateCountsAsNearAndNoEstimatesAtAllMeansAnyInstance() {
        List<ServiceInstance> all = List.of(instance("a"), instance("new"), instance("far"));
        assertThat(choices(all, Map.of("a", 1L, "far", 40L))).containsOnlyKeys("a", "new");
        assertThat(choices(all, Map.of())).containsOnlyKeys("a", "new", "far");
        assertThat(NearestInstanceLoadBalancer.choose(List.of(), si -> 1, random)).isNull();
    }
}
