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
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.Disposable;

class GossipServiceInstanceListSupplierTest {

    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final ServiceIndex index = new ServiceIndex(() -> List.copyOf(members), Set.of("UP"));

    private GossipServiceInstanceListSupplier supplier(String zone) {
        return new GossipServiceInstanceListSupplier("orders", index, zone);
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::getInstanceId).toList();
    }

    private List<String> first(GossipServiceInstanceListSupplier supplier) {
        return ids(supplier.get().blockFirst());
    }

    private static Member zoned(String name, int i, String zone) {
        return service(name, i, "orders", 8080, ServiceTags.ZONE, zone);
    }

    @Test
    void servesItsServiceId() {
        assertThat(supplier(null).getServiceId()).isEqualTo("orders");
    }

    @Test
    void suspectInstancesAreAvoidedWhileOthersExist() {
        members.add(service("a", 1, "orders", 8080));
        members.add(withSuspect(service("b", 2, "orders", 8080), true));
        members.add(service("c", 3, "orders", 8080));
        index.rebuild();
        assertThat(first(supplier(null))).containsExactly("a", "c");
    }

    @Test
    void whenAllAreSuspectAllAreServed() {
        members.add(withSuspect(service("a", 1, "orders", 8080), true));
        members.add(withSuspect(service("b", 2, "orders", 8080), true));
        index.rebuild();
        assertThat(first(supplier(null))).containsExactly("a", "b");
    }

    @Test
    void ownZoneIsPreferred() {
        members.add(zoned("a", 1, "eu-1"));
        members.add(zoned("b", 2, "eu-2"));
        members.add(zoned("c", 3, "EU-1")); // zones compare ignoring case
        members.add(service("d", 4, "orders", 8080)); // no zone
        index.rebuild();
        assertThat(first(supplier("eu-1"))).containsExactly("a", "c");
        assertThat(first(supplier("eu-2"))).containsExactly("b");
    }

    @Test
    void withoutAMatchInOurZoneEveryZoneIsServed() {
        members.add(zoned("a", 1, "eu-1"));
        members.add(zoned("b", 2, "eu-2"));
        index.rebuild();
        assertThat(first(supplier("us-1"))).containsExactly("a", "b");
        assertThat(first(supplier(" "))).containsExactly("a", "b"); // blank zone = no preference
        assertThat(first(supplier(null))).containsExactly("a", "b");
    }

    @Test
    void suspectAvoidanceComesBeforeZonePreference() {
        members.add(withSuspect(zoned("a", 1, "eu-1"), true)); // the only one in our zone is suspect
        members.add(zoned("b", 2, "eu-2"));
        members.add(withSuspect(zoned("c", 3, "eu-2"), true));
        index.rebuild();
        assertThat(first(supplier("eu-1"))).containsExactly("b");
    }

    @Test
    void aListThatNeedsNoFilteringIsNotCopied() {
        List<ServiceInstance> all = List.of(
                new DefaultServiceInstance("x", "orders", "127.0.0.1", 8080, false),
                new DefaultServiceInstance("y", "orders", "127.0.0.1", 8081, false));
        assertThat(supplier(null).choose(all)).isSameAs(all); // not gossip instances: never suspect
        assertThat(supplier("eu-1").choose(all)).isSameAs(all); // no zone metadata: fallback to the same list
        assertThat(supplier(null).choose(List.of())).isEmpty();
    }

    @Test
    void everyMembershipChangeIsPushed() {
        members.add(service("a", 1, "orders", 8080));
        index.rebuild();
        List<List<String>> pushed = new CopyOnWriteArrayList<>();
        Disposable subscription = supplier(null).get().subscribe(l -> pushed.add(ids(l)));
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
