package dev.gossip.spring.loadbalancer;

import static dev.gossip.spring.discovery.TestMembers.service;
import static dev.gossip.spring.discovery.TestMembers.withSuspect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Member;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.discovery.ServiceTags;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ZonePreferenceServiceInstanceListSupplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** The gossip base supplier, its fallback to other DiscoveryClients, and the suspect filter on top. */
class GossipServiceInstanceListSupplierTest {

    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final ServiceIndex index = new ServiceIndex(() -> List.copyOf(members), Set.of("UP"));

    private GossipServiceInstanceListSupplier base() {
        return new GossipServiceInstanceListSupplier("orders", index);
    }

    /** Suspect filter over the base, then Spring Cloud's own zone preference, as the client configuration builds it. */
    private ServiceInstanceListSupplier chain(String zone) {
        return new ZonePreferenceServiceInstanceListSupplier(
                new SuspectAvoidingServiceInstanceListSupplier(base()), new LoadBalancerZoneConfig(zone));
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::getInstanceId).toList();
    }

    private static List<String> first(ServiceInstanceListSupplier supplier) {
        return ids(supplier.get().blockFirst());
    }

    private static Member zoned(String name, int i, String zone) {
        return service(name, i, "orders", 8080, ServiceTags.ZONE, zone);
    }

    @Test
    void servesItsServiceId() {
        assertThat(base().getServiceId()).isEqualTo("orders");
        assertThat(chain(null).getServiceId()).isEqualTo("orders");
    }

    @Test
    void suspectInstancesAreAvoidedWhileOthersExist() {
        members.add(service("a", 1, "orders", 8080));
        members.add(withSuspect(service("b", 2, "orders", 8080), true));
        members.add(service("c", 3, "orders", 8080));
        index.rebuild();
        assertThat(first(base())).containsExactly("a", "b", "c"); // the base hides nothing
        assertThat(first(chain(null))).containsExactly("a", "c");
    }

    @Test
    void whenAllAreSuspectAllAreServed() {
        members.add(withSuspect(service("a", 1, "orders", 8080), true));
        members.add(withSuspect(service("b", 2, "orders", 8080), true));
        index.rebuild();
        assertThat(first(chain(null))).containsExactly("a", "b");
    }

    @Test
    void springCloudZonePreferenceWorksOnGossipInstances() {
        members.add(zoned("a", 1, "eu-1"));
        members.add(zoned("b", 2, "eu-2"));
        members.add(zoned("c", 3, "EU-1")); // zones compare ignoring case
        members.add(service("d", 4, "orders", 8080)); // no zone
        index.rebuild();
        assertThat(first(chain("eu-1"))).containsExactly("a", "c");
        assertThat(first(chain("eu-2"))).containsExactly("b");
        assertThat(first(chain("us-1"))).containsExactly("a", "b", "c", "d"); // no match: every zone
    }

    @Test
    void suspectAvoidanceComesBeforeZonePreference() {
        members.add(withSuspect(zoned("a", 1, "eu-1"), true)); // the only one in our zone is suspect
        members.add(zoned("b", 2, "eu-2"));
        members.add(withSuspect(zoned("c", 3, "eu-2"), true));
        index.rebuild();
        assertThat(first(chain("eu-1"))).containsExactly("b");
    }

    @Test
    void aListThatNeedsNoFilteringIsNotCopied() {
        List<ServiceInstance> all = List.of(
                new DefaultServiceInstance("x", "orders", "127.0.0.1", 8080, false),
                new DefaultServiceInstance("y", "orders", "127.0.0.1", 8081, false));
        assertThat(SuspectAvoidingServiceInstanceListSupplier.avoidSuspects(all)).isSameAs(all);
        assertThat(SuspectAvoidingServiceInstanceListSupplier.avoidSuspects(List.of())).isEmpty();
    }

    @Test
    void otherDiscoveryClientsServeWhatGossipDoesNotKnowAskedAtEachRequest() {
        AtomicInteger asked = new AtomicInteger();
        List<ServiceInstance> legacy = List.of(new DefaultServiceInstance("legacy-1", "orders", "10.9.9.9", 80, false));
        GossipServiceInstanceListSupplier supplier = new GossipServiceInstanceListSupplier("orders", index, id -> {
            asked.incrementAndGet();
            return Mono.just(legacy);
        });
        assertThat(first(supplier)).containsExactly("legacy-1");
        assertThat(first(supplier)).containsExactly("legacy-1");
        assertThat(asked).hasValue(2); // no cache: a request sees what the other client says now

        members.add(service("a", 1, "orders", 8080));
        index.rebuild();
        assertThat(first(supplier)).containsExactly("a"); // gossip wins once it knows the service
        assertThat(asked).hasValue(2);

        GossipServiceInstanceListSupplier failing = new GossipServiceInstanceListSupplier("billing", index,
                id -> Mono.error(new IllegalStateException("registry down")));
        assertThat(first(failing)).isEmpty(); // an error in another client is no instance, not a failure
    }

    @Test
    void everyMembershipChangeIsPushed() {
        members.add(service("a", 1, "orders", 8080));
        index.rebuild();
        List<List<String>> pushed = new CopyOnWriteArrayList<>();
        Disposable subscription = chain(null).get().subscribe(l -> pushed.add(ids(l)));
        try {
            assertThat(pushed).containsExactly(List.of("a"));

            members.add(service("b", 2, "orders", 8080));
            index.rebuild();
            assertThat(pushed).containsExactly(List.of("a"), List.of("a", "b"));

            members.set(0, withSuspect(members.get(0), true));
            index.rebuild();
            assertThat(pushed).last().isEqualTo(List.of("b"));

            members.add(service("x", 9, "billing", 8080)); // another service: no push
            index.rebuild();
            assertThat(pushed).hasSize(3);

            members.clear();
            index.rebuild();
            assertThat(pushed).last().isEqualTo(List.of());
        } finally {
            subscription.dispose();
        }
    }
}
