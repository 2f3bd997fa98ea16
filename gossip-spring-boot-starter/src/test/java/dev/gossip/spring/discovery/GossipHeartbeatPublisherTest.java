package dev.gossip.spring.discovery;

import static dev.gossip.spring.discovery.TestMembers.service;
import static dev.gossip.spring.discovery.TestMembers.withSuspect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.Member;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

/** HeartbeatEvent: one per burst of changes, carrying the latest version; never for suspicion alone. */
class GossipHeartbeatPublisherTest {

    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final ServiceIndex index = new ServiceIndex(() -> List.copyOf(members), Set.of("UP"));
    private final List<HeartbeatEvent> events = new CopyOnWriteArrayList<>();
    /** A delay well above what 20 rebuilds take on a loaded 2-core machine, so the burst is one. */
    private final GossipHeartbeatPublisher publisher =
            new GossipHeartbeatPublisher(index, e -> events.add((HeartbeatEvent) e), Duration.ofMillis(500));

    @AfterEach
    void stop() {
        publisher.destroy();
    }

    @Test
    void aBurstOfChangesIsOneEventWithTheLatestVersion() {
        for (int i = 0; i < 20; i++) { // a rolling restart's worth of joins, well within the delay
            members.add(service("n" + i, i, "orders", 8080));
            index.rebuild();
        }
        long version = index.version();
        await().atMost(Duration.ofSeconds(2)).until(() -> !events.isEmpty());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getValue()).isEqualTo(version);
        assertThat(events.get(0).getSource()).isSameAs(index);

        members.remove(0); // a later change: a second event
        index.rebuild();
        await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 2);
        assertThat(events.get(1).getValue()).isEqualTo(index.version());
    }

    @Test
    void suspicionAloneFiresNothing() throws InterruptedException {
        Member a = service("a", 1, "orders", 8080);
        members.add(a);
        index.rebuild();
        await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 1);

        members.set(0, withSuspect(a, true));
        index.rebuild();
        members.set(0, a);
        index.rebuild();
        Thread.sleep(1200); // more than two delays: a negative needs a window
        assertThat(events).hasSize(1);
    }
}
