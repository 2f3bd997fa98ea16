package dev.gossip.spring.discovery;

import static dev.gossip.spring.discovery.TestMembers.member;
import static dev.gossip.spring.discovery.TestMembers.service;
import static dev.gossip.spring.discovery.TestMembers.withStatus;
import static dev.gossip.spring.discovery.TestMembers.withSuspect;
import static dev.gossip.spring.discovery.TestMembers.withTag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.Disposable;

class ServiceIndexTest {

    /** A member list the test changes, then calls {@link ServiceIndex#rebuild()}. */
    private final List<Member> members = new CopyOnWriteArrayList<>();

    private ServiceIndex index(String... statuses) {
        return new ServiceIndex(() -> List.copyOf(members), statuses.length == 0 ? Set.of("UP") : Set.of(statuses));
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::getInstanceId).toList();
    }

    @Test
    void membersBecomeServicesAndInstances() {
        members.add(service("orders-b", 1, "orders", 8081));
        members.add(service("orders-a", 2, "orders", 8080, ServiceTags.HOST, "orders-a.example"));
        members.add(service("billing-1", 3, "Billing", 9443, ServiceTags.SECURE, "true", ServiceTags.ZONE, "z1",
                ServiceTags.INSTANCE, "billing-one", "team", "payments"));
        members.add(member("plain-serf-agent", 4, Map.of("role", "web"), MemberStatus.ALIVE, false));
        members.add(member("no-port", 5, Map.of(ServiceTags.SERVICE, "orders"), MemberStatus.ALIVE, false));
        members.add(service("bad-port", 6, "orders", 0, ServiceTags.PORT, "http"));

        ServiceIndex index = index();

        assertThat(index.services()).containsExactly("Billing", "orders");
        List<ServiceInstance> orders = index.instances("orders");
        assertThat(ids(orders)).containsExactly("orders-a", "orders-b"); // sorted by instance id
        ServiceInstance a = orders.get(0);
        assertThat(a.getServiceId()).isEqualTo("orders");
        assertThat(a.getHost()).isEqualTo("orders-a.example"); // host tag wins over the gossip address
        assertThat(a.getPort()).isEqualTo(8080);
        assertThat(a.isSecure()).isFalse();
        assertThat(a.getUri()).isEqualTo(URI.create("http://orders-a.example:8080"));
        ServiceInstance b = orders.get(1);
        assertThat(b.getHost()).isEqualTo(TestMembers.address(1).getHostAddress()); // no host tag: gossip address
        assertThat(((GossipServiceInstance) b).getMemberName()).isEqualTo("orders-b");
        assertThat(((GossipServiceInstance) b).getStatus()).isEqualTo("UP"); // no status tag = UP

        GossipServiceInstance billing = (GossipServiceInstance) index.instances("Billing").get(0);
        assertThat(billing.getInstanceId()).isEqualTo("billing-one");
        assertThat(billing.getMemberName()).isEqualTo("billing-1");
        assertThat(billing.isSecure()).isTrue();
        assertThat(billing.getScheme()).isEqualTo("https");
        assertThat(billing.getUri().toString()).startsWith("https://").endsWith(":9443");
        assertThat(billing.getZone()).isEqualTo("z1");
        assertThat(billing.getMetadata()).containsEntry("team", "payments").containsEntry(ServiceTags.SERVICE, "Billing");

        assertThat(index.instances("unknown")).isEmpty();
        assertThat(index.version()).isEqualTo(1);
    }

    @Test
    void onlyAliveMembersWithAnIncludedStatusAreInstances() {
        members.add(service("up", 1, "orders", 8080, ServiceTags.STATUS, "UP"));
        members.add(service("oos", 2, "orders", 8080, ServiceTags.STATUS, "OUT_OF_SERVICE"));
        members.add(service("down", 3, "orders", 8080, ServiceTags.STATUS, "DOWN"));
        members.add(service("lower-case-up", 4, "orders", 8080, ServiceTags.STATUS, "up"));
        members.add(withStatus(service("leaving", 5, "orders", 8080), MemberStatus.LEAVING));
        members.add(withStatus(service("left", 6, "orders", 8080), MemberStatus.LEFT));
        members.add(withStatus(service("failed", 7, "orders", 8080), MemberStatus.FAILED));

        assertThat(ids(index().instances("orders"))).containsExactly("lower-case-up", "up");
        // include-statuses is case-insensitive too
        assertThat(ids(index("up", "out_of_service").instances("orders"))).containsExactly("lower-case-up", "oos", "up");
        assertThat(ids(index("UP", "OUT_OF_SERVICE", "DOWN").instances("orders")))
                .containsExactly("down", "lower-case-up", "oos", "up");
        // a service whose only instances are filtered out is still listed (a gateway answers 503, not 404)
        members.removeIf(m -> !m.name().equals("down"));
        assertThat(index().services()).containsExactly("orders");
        assertThat(index().instances("orders")).isEmpty();
        assertThat(index("DOWN").services()).containsExactly("orders");
        // but a service whose only member is gone or failed is not
        members.replaceAll(m -> withStatus(m, MemberStatus.FAILED));
        assertThat(index("DOWN").services()).isEmpty();
    }

    @Test
    void suspectMembersStayListedButFlagged() {
        Member a = service("a", 1, "orders", 8080);
        members.add(a);
        members.add(withSuspect(service("b", 2, "orders", 8080), true));
        ServiceIndex index = index();

        List<ServiceInstance> orders = index.instances("orders");
        assertThat(ids(orders)).containsExactly("a", "b");
        assertThat(((GossipServiceInstance) orders.get(0)).isSuspect()).isFalse();
        assertThat(((GossipServiceInstance) orders.get(1)).isSuspect()).isTrue();
        assertThat(orders.get(1).toString()).contains("(suspect)");

        long before = index.version();
        List<Long> notified = new CopyOnWriteArrayList<>();
        index.onChange(notified::add);
        List<List<ServiceInstance>> pushed = new CopyOnWriteArrayList<>();
        Disposable watching = index.watch("orders").subscribe(pushed::add);
        try {
            members.set(0, withSuspect(a, true));
            index.rebuild();
            assertThat(index.version()).isEqualTo(before + 1); // suspicion is a change for the load balancer
            assertThat(index.instances("orders")).allMatch(si -> ((GossipServiceInstance) si).isSuspect());
            assertThat(pushed).hasSize(2); // ... which is pushed the new list
            assertThat(notified).isEmpty(); // ... but not a HeartbeatEvent: discovery clients see the same instances

            members.set(0, withTag(withSuspect(a, false), "version", "2"));
            index.rebuild();
            assertThat(notified).containsExactly(before + 2);
        } finally {
            watching.dispose();
        }
    }

    @Test
    void includeStatusesChangeAtRuntime() {
        members.add(service("up", 1, "orders", 8080));
        members.add(service("oos", 2, "orders", 8080, ServiceTags.STATUS, "OUT_OF_SERVICE"));
        ServiceIndex index = index();
        List<Long> notified = new CopyOnWriteArrayList<>();
        index.onChange(notified::add);
        assertThat(ids(index.instances("orders"))).containsExactly("up");

        index.setIncludeStatuses(Set.of("up", "out_of_service"));
        assertThat(ids(index.instances("orders"))).containsExactly("oos", "up");
        assertThat(notified).hasSize(1);
        // discovery clients see both; load balancers are only ever offered the UP one
        assertThat(ids(index.watch("orders").blockFirst())).containsExactly("up");
        index.setIncludeStatuses(Set.of("UP", "OUT_OF_SERVICE")); // same set: nothing to do
        assertThat(notified).hasSize(1);
    }

    @Test
    void lookupIgnoresCase() {
        members.add(service("a", 1, "Orders", 8080));
        members.add(service("b", 2, "ORDERS", 8081));
        ServiceIndex index = index();

        assertThat(index.services()).hasSize(1).first().isIn("Orders", "ORDERS");
        assertThat(ids(index.instances("orders"))).containsExactly("a", "b");
        assertThat(index.instances("ORDERS")).isSameAs(index.instances("orders"));
        assertThat(index.instances("oRdErS")).isSameAs(index.instances("orders"));
    }

    @Test
    void lookupOfALowerCaseIdReturnsTheSnapshotListWithoutCopying() {
        members.add(service("a", 1, "orders", 8080));
        ServiceIndex index = index();
        assertThat(index.instances("orders")).isSameAs(index.instances("orders"));
        assertThat(index.instances("none")).isSameAs(List.of());
    }

    @Test
    void watchPushesTheCurrentListThenEveryChangeOfThatServiceOnly() {
        Member a = service("a", 1, "orders", 8080);
        members.add(a);
        ServiceIndex index = index();
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        List<List<String>> seenUpper = new CopyOnWriteArrayList<>();
        List<List<String>> seenBilling = new CopyOnWriteArrayList<>();
        Disposable d1 = index.watch("orders").subscribe(l -> seen.add(ids(l)));
        Disposable d2 = index.watch("ORDERS").subscribe(l -> seenUpper.add(ids(l)));
        Disposable d3 = index.watch("billing").subscribe(l -> seenBilling.add(ids(l)));
        try {
            assertThat(seen).containsExactly(List.of("a"));
            assertThat(seenBilling).containsExactly(List.of()); // unknown yet: an empty list first

            members.add(service("b", 2, "orders", 8080));
            index.rebuild();
            assertThat(seen).containsExactly(List.of("a"), List.of("a", "b"));

            members.add(service("c", 3, "billing", 9090)); // another service: orders is not pushed again
            index.rebuild();
            assertThat(seen).hasSize(2);
            assertThat(seenBilling).containsExactly(List.of(), List.of("c"));

            index.rebuild(); // nothing changed: nothing pushed
            assertThat(seen).hasSize(2);
            assertThat(seenBilling).hasSize(2);

            members.remove(a);
            index.rebuild();
            assertThat(seen).containsExactly(List.of("a"), List.of("a", "b"), List.of("b"));
            assertThat(seenUpper).isEqualTo(seen); // same sink, whatever the case

            // a late subscriber gets the latest list at once
            List<List<String>> late = new ArrayList<>();
            index.watch("orders").subscribe(l -> late.add(ids(l))).dispose();
            assertThat(late).containsExactly(List.of("b"));
        } finally {
            d1.dispose();
            d2.dispose();
            d3.dispose();
        }
    }

    @Test
    void versionRisesOnlyOnARealChange() {
        Member a = service("a", 1, "orders", 8080);
        members.add(a);
        ServiceIndex index = index();
        List<Long> notified = new CopyOnWriteArrayList<>();
        index.onChange(notified::add);
        long v = index.version();

        index.rebuild();
        members.add(member("serf-only", 9, Map.of("role", "db"), MemberStatus.ALIVE, false)); // not a service
        index.rebuild();
        assertThat(index.version()).isEqualTo(v);
        members.add(service("down", 8, "orders", 8080, ServiceTags.STATUS, "DOWN")); // filtered out
        index.rebuild();
        assertThat(index.version()).as("the catalog lists every status").isEqualTo(v + 1);
        assertThat(notified).as("discovery clients don't see it").isEmpty();
        v++;

        members.set(0, withTag(a, "version", "2")); // metadata change
        index.rebuild();
        assertThat(index.version()).isEqualTo(v + 1);
        members.add(service("b", 2, "orders", 8080));
        index.rebuild();
        index.rebuild();
        assertThat(index.version()).isEqualTo(v + 2);
        assertThat(notified).containsExactly(v + 1, v + 2);
    }

    @Test
    void followsTheMembershipOfARealNode() {
        GossipNode node = GossipNode.create(GossipConfig.builder().nodeName("index-test").bindAddress("127.0.0.1")
                .bindPort(0).tags(Map.of("role", "test")).build());
        try {
            node.start().join();
            ServiceIndex index = new ServiceIndex(node, Set.of("UP"));
            assertThat(index.services()).isEmpty();
            node.setTags(Map.of(ServiceTags.SERVICE, "self", ServiceTags.PORT, "8080"));
            await().atMost(Duration.ofSeconds(5)).until(() -> index.instances("self").size() == 1);
            ServiceInstance self = index.instances("self").get(0);
            assertThat(self.getHost()).isEqualTo("127.0.0.1");
            assertThat(self.getInstanceId()).isEqualTo("index-test");
        } finally {
            node.shutdown();
        }
    }
}
