package dev.gossip.spring.catalog;

import static dev.gossip.spring.discovery.TestMembers.service;
import static dev.gossip.spring.discovery.TestMembers.withStatus;
import static dev.gossip.spring.discovery.TestMembers.withTag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.discovery.ServiceTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

/** The feed over a ServiceIndex fed from in-memory member lists. */
class CatalogFeedTest {

    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final ServiceIndex index = new ServiceIndex(() -> List.copyOf(members), Set.of("UP"));
    private final List<CatalogFeed> feeds = new ArrayList<>();
    private final List<Disposable> subscriptions = new ArrayList<>();

    @AfterEach
    void close() {
        subscriptions.forEach(Disposable::dispose);
        feeds.forEach(CatalogFeed::close);
    }

    private CatalogFeed feed(int maxWatchers, int maxPending) {
        CatalogFeed feed = new CatalogFeed(index, maxWatchers, maxPending);
        feeds.add(feed);
        return feed;
    }

    private static ConditionFactory soon(int seconds) {
        return await().atMost(Duration.ofSeconds(seconds)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /** Replaces or adds the member of that name, then lets the index re-read the list. */
    private void put(Member m) {
        members.removeIf(x -> x.name().equals(m.name()));
        members.add(m);
        index.rebuild();
    }

    private void remove(String name) {
        members.removeIf(x -> x.name().equals(name));
        index.rebuild();
    }

    /** What a client does: the snapshot, then each event replaces one service's list. */
    private static final class Replica {
        final CatalogFeed.Snapshot snapshot;
        final Map<String, List<ServiceInstance>> services;
        final List<CatalogFeed.ServiceEvent> events = new CopyOnWriteArrayList<>();
        volatile boolean completed;

        Replica(CatalogFeed.Watch watch, List<Disposable> subscriptions) {
            snapshot = watch.snapshot();
            services = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            services.putAll(snapshot.services());
            subscriptions.add(watch.events().subscribe(e -> {
                events.add(e);
                synchronized (services) {
                    if (e.instances().isEmpty()) {
                        services.remove(e.service());
                    } else {
                        services.put(e.service(), e.instances());
                    }
                }
            }, e -> { }, () -> completed = true));
        }

        Map<String, List<ServiceInstance>> state() {
            synchronized (services) {
                return new TreeMap<>(services);
            }
        }
    }

    /** Every service the index lists, with all its alive instances: what a replica must equal. */
    private Map<String, List<ServiceInstance>> truth() {
        Map<String, List<ServiceInstance>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        index.services().forEach(s -> all.put(s, index.allInstances(s)));
        return new TreeMap<>(all);
    }

    @Test
    void snapshotThenEachChangeInOrderExactlyOnce() {
        put(service("orders-1", 1, "orders", 8080));
        put(service("billing-1", 2, "billing", 8081));
        CatalogFeed feed = feed(10, 100);

        Replica r = new Replica(feed.watch(List.of()), subscriptions);
        assertThat(r.snapshot.services()).containsOnlyKeys("billing", "orders");
        assertThat(r.snapshot.index()).isEqualTo(index.version());

        Member orders2 = service("orders-2", 3, "orders", 8082);
        put(orders2); // orders: 2 instances
        put(withTag(orders2, ServiceTags.STATUS, "OUT_OF_SERVICE")); // status change
        remove("billing-1"); // billing gone
        put(withStatus(service("orders-1", 1, "orders", 8080), MemberStatus.LEFT)); // not alive: removed

        soon(5).until(() -> r.events.size() >= 4);
        assertThat(r.events).extracting(CatalogFeed.ServiceEvent::service)
                .containsExactly("orders", "orders", "billing", "orders");
        assertThat(r.events.get(0).instances()).hasSize(2);
        assertThat(((dev.gossip.spring.discovery.GossipServiceInstance) r.events.get(1).instances().get(1)).getStatus())
                .isEqualTo("OUT_OF_SERVICE");
        assertThat(r.events.get(2).instances()).isEmpty();
        assertThat(r.events.get(3).instances()).extracting(ServiceInstance::getInstanceId).containsExactly("orders-2");
        List<Long> indexes = r.events.stream().map(CatalogFeed.ServiceEvent::index).toList();
        assertThat(indexes).isSorted().allMatch(i -> i > r.snapshot.index());
        assertThat(r.state()).isEqualTo(truth());
        assertThat(feed.eventsQueued()).isEqualTo(4);
    }

    @Test
    void filteredWatchSeesOnlyItsServicesInAnyCase() {
        put(service("orders-1", 1, "orders", 8080));
        put(service("billing-1", 2, "Billing", 8081));
        CatalogFeed feed = feed(10, 100);
        Replica r = new Replica(feed.watch(List.of("BILLING")), subscriptions);
        assertThat(r.snapshot.services()).containsOnlyKeys("Billing");
        put(service("orders-2", 3, "orders", 8082));
        put(service("billing-2", 4, "Billing", 8083));
        soon(5).until(() -> r.events.size() >= 1);
        assertThat(r.events).singleElement().satisfies(e -> {
            assertThat(e.service()).isEqualTo("Billing");
            assertThat(e.instances()).hasSize(2);
        });
    }

    /**
     * Watchers subscribe while another thread changes the cluster as fast as it can: each one's
     * events are exactly the tail of the change log (none lost, none repeated), and snapshot plus
     * events rebuild what the index holds at the end.
     */
    @Test
    void subscribingDuringABurstLosesAndRepeatsNothing() throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            put(service("m-" + i, i, "svc-" + (i % 7), 8000 + i));
        }
        List<String> log = new CopyOnWriteArrayList<>(); // every change, as the feed sees them
        index.addServiceListener((v, s, list) -> log.add(s + "@" + v + "=" + list));
        CatalogFeed feed = feed(1000, 100_000);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger progress = new AtomicInteger();
        Thread burst = new Thread(() -> {
            Random random = new Random(42);
            for (int n = 0; n < 1000; n++) {
                progress.set(n);
                int i = random.nextInt(40);
                switch (random.nextInt(3)) {
                    case 0 -> remove("m-" + i);
                    case 1 -> put(service("m-" + i, i, "svc-" + (i % 7), 8000 + i));
                    default -> put(service("m-" + i, i, "svc-" + (i % 7), 8000 + i, ServiceTags.STATUS,
                            random.nextBoolean() ? "UP" : "DOWN"));
                }
            }
            done.set(true);
        });
        List<Replica> replicas = new ArrayList<>();
        burst.start();
        int next = 0;
        while (!done.get()) { // one more watcher every 25 changes, while they happen
            if (progress.get() >= next) {
                replicas.add(new Replica(feed.watch(List.of()), subscriptions));
                next += 25;
            } else {
                Thread.onSpinWait();
            }
        }
        burst.join();
        assertThat(replicas).hasSizeGreaterThan(20);
        Map<String, List<ServiceInstance>> truth = truth();
        List<String> changes = List.copyOf(log);
        for (Replica r : replicas) {
            soon(10).until(() -> r.state().equals(truth));
            List<String> seen = r.events.stream().map(e -> e.service() + "@" + e.index() + "=" + e.instances()).toList();
            assertThat(seen).isEqualTo(changes.subList(changes.size() - seen.size(), changes.size()));
            assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
            assertThat(r.events).allMatch(e -> e.index() >= r.snapshot.index());
        }
        assertThat(feed.overflows()).isZero();
    }

    /** A watcher that stops reading is cut off once max-pending-events are waiting; the others go on. */
    @Test
    void aWatcherThatFallsBehindIsDisconnectedAndTheOthersContinue() {
        CatalogFeed feed = feed(10, 3);
        Replica fast = new Replica(feed.watch(List.of()), subscriptions);
        AtomicBoolean slowCompleted = new AtomicBoolean();
        BaseSubscriber<CatalogFeed.ServiceEvent> slow = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // no demand: a client whose connection has stalled
            }

            @Override
            protected void hookOnComplete() {
                slowCompleted.set(true);
            }
        };
        feed.watch(List.of()).events().subscribe(slow);
        subscriptions.add(slow);
        assertThat(feed.watchers()).isEqualTo(2);

        for (int i = 0; i < 10; i++) { // at the fast watcher's pace: only the slow one falls behind
            put(service("m-" + i, i, "svc", 8000 + i));
            int received = i + 1;
            soon(5).until(() -> fast.events.size() == received);
        }

        soon(5).untilTrue(slowCompleted);
        assertThat(feed.overflows()).isEqualTo(1);
        assertThat(feed.watchers()).isEqualTo(1);
        assertThat(fast.state()).isEqualTo(truth());
        assertThat(fast.completed).isFalse();

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new CatalogMetrics(feed).bindTo(meters);
        assertThat(meters.get("gossip.catalog.watchers").gauge().value()).isEqualTo(1);
        assertThat(meters.get("gossip.catalog.events").functionCounter().count()).isEqualTo(feed.eventsQueued())
                .isGreaterThanOrEqualTo(10 + 3); // the slow one took max-pending-events before it was cut off
        assertThat(meters.get("gossip.catalog.disconnected").tag("reason", "overflow").functionCounter().count())
                .isEqualTo(1);
        assertThat(meters.get("gossip.catalog.disconnected").tag("reason", "max-watchers").functionCounter().count())
                .isZero();
    }

    @Test
    void maxWatchersRefusesOneMoreUntilOneLeaves() {
        CatalogFeed feed = feed(2, 10);
        Disposable a = feed.watch(List.of()).events().subscribe();
        subscriptions.add(a);
        subscriptions.add(feed.watch(List.of()).events().subscribe());
        assertThatThrownBy(() -> feed.watch(List.of())).isInstanceOf(CatalogFeed.Unavailable.class)
                .hasMessageContaining("max-watchers");
        assertThat(feed.rejected()).isEqualTo(1);
        a.dispose();
        assertThat(feed.watchers()).isEqualTo(1);
        subscriptions.add(feed.watch(List.of()).events().subscribe());
        assertThat(feed.watchers()).isEqualTo(2);
    }

    @Test
    void stoppingEndsEveryWatchAndRefusesNewOnesUntilStarted() {
        CatalogFeed feed = feed(10, 10);
        Replica r = new Replica(feed.watch(List.of()), subscriptions);
        feed.stop();
        soon(5).until(() -> r.completed);
        assertThat(feed.watchers()).isZero();
        assertThatThrownBy(() -> feed.watch(List.of())).isInstanceOf(CatalogFeed.Unavailable.class);
        feed.start();
        subscriptions.add(feed.watch(List.of()).events().subscribe());
        assertThat(feed.watchers()).isEqualTo(1);
    }
}
