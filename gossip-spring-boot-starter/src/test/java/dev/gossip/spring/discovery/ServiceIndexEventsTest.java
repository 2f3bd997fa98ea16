package dev.gossip.spring.discovery;

import static dev.gossip.spring.discovery.TestMembers.service;
import static dev.gossip.spring.discovery.TestMembers.withStatus;
import static dev.gossip.spring.discovery.TestMembers.withSuspect;
import static dev.gossip.spring.discovery.TestMembers.withTag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipEvent.MemberEventType;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.Disposable;

/**
 * The index kept from member events, one change at a time, shows exactly what an index rebuilt
 * from the whole member list shows: after every one of thousands of random joins, failures,
 * leaves, reaps, suspicions, status and service changes.
 */
class ServiceIndexEventsTest {

    private static final List<String> SERVICES = List.of("orders", "Billing", "ORDERS", "search");
    private static final List<String> STATUSES = List.of("UP", "DOWN", "OUT_OF_SERVICE");

    @Test
    void eventByEventEqualsARebuildFromTheMemberList() {
        SplittableRandom random = new SplittableRandom(11);
        Map<String, Member> view = new LinkedHashMap<>();
        List<Member> snapshot = new ArrayList<>();
        ServiceIndex events = new ServiceIndex(List::of, Set.of("UP", "OUT_OF_SERVICE"));
        AtomicLong changes = new AtomicLong();
        events.onChange(v -> changes.incrementAndGet());
        List<List<ServiceInstance>> pushed = new ArrayList<>();
        Disposable watch = events.watch("orders").subscribe(pushed::add);

        for (int step = 0; step < 5_000; step++) {
            String name = "m" + random.nextInt(30);
            Member old = view.get(name);
            Member now;
            MemberEventType type;
            int i = Integer.parseInt(name.substring(1));
            if (old == null || old.status() != MemberStatus.ALIVE && random.nextInt(3) == 0) {
                now = service(name, i, SERVICES.get(random.nextInt(SERVICES.size())), 8000 + i,
                        ServiceTags.STATUS, STATUSES.get(random.nextInt(STATUSES.size())));
                type = MemberEventType.JOIN;
            } else {
                switch (random.nextInt(6)) {
                    case 0 -> {
                        now = withStatus(old, MemberStatus.FAILED);
                        type = MemberEventType.FAILED;
                    }
                    case 1 -> {
                        now = withStatus(old, MemberStatus.LEFT);
                        type = MemberEventType.LEAVE;
                    }
                    case 2 -> {
                        now = withSuspect(old, !old.suspect());
                        type = MemberEventType.SUSPICION;
                    }
                    case 3 -> {
                        now = withTag(old, ServiceTags.STATUS, STATUSES.get(random.nextInt(STATUSES.size())));
                        type = MemberEventType.UPDATE;
                    }
                    case 4 -> {
                        now = withTag(old, ServiceTags.SERVICE, SERVICES.get(random.nextInt(SERVICES.size())));
                        type = MemberEventType.UPDATE;
                    }
                    default -> {
                        now = null;
                        type = MemberEventType.REAP;
                    }
                }
            }
            if (now == null) {
                view.remove(name);
                events.onEvent(new GossipEvent.MemberEvent(type, List.of(old)));
            } else {
                view.put(name, now);
                events.onEvent(new GossipEvent.MemberEvent(type, List.of(now)));
            }
            snapshot.clear();
            snapshot.addAll(view.values());
            ServiceIndex rebuilt = new ServiceIndex(() -> List.copyOf(snapshot), Set.of("UP", "OUT_OF_SERVICE"));

            assertThat(events.services()).as("services after step %d", step)
                    .hasSameSizeAs(rebuilt.services());
            for (String service : List.of("orders", "ORDERS", "billing", "search", "nothing")) {
                assertThat(events.instances(service)).as("%s after step %d (%s %s)", service, step, type, name)
                        .isEqualTo(rebuilt.instances(service));
            }
            assertThat(pushed.get(pushed.size() - 1)).as("last list pushed for orders, step %d", step)
                    .isEqualTo(rebuilt.watch("orders").blockFirst());
        }
        watch.dispose();
        System.out.printf("5000 random member events: %d visible changes, %d lists pushed for orders%n",
                changes.get(), pushed.size());
        assertThat(changes.get()).isPositive();
    }
}
