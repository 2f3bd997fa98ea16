package dev.gossip.spring.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipEvent.MemberEventType;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Query;
import dev.gossip.spring.discovery.TestMembers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;

/** The relay from the gossip thread to Spring listeners: ordered, one thread, bounded, never blocking. */
class GossipEventRelayTest {

    private final List<Object> received = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private GossipEventRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    private static GossipEvent.UserEvent deploy(int n) {
        return new GossipEvent.UserEvent(n, "deploy", ("v" + n).getBytes(StandardCharsets.UTF_8), true);
    }

    private ApplicationEventPublisher recording() {
        return event -> {
            threads.add(Thread.currentThread().getName());
            received.add(event);
        };
    }

    @Test
    void eventsReachListenersInOrderOnTheRelayThread() {
        relay = new GossipEventRelay("node", recording(), 1000);
        relay.start();
        relay.onEvent(new GossipEvent.MemberEvent(MemberEventType.JOIN, List.of(member("a"))));
        for (int i = 1; i <= 500; i++) {
            relay.onEvent(deploy(i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 501);

        GossipMemberEvent join = (GossipMemberEvent) received.get(0);
        assertThat(join.getType()).isEqualTo(MemberEventType.JOIN);
        assertThat(join.getMemberNames()).containsExactly("a");
        assertThat(join.getSource()).isEqualTo("node");
        List<String> payloads = received.subList(1, 501).stream()
                .map(e -> ((GossipUserEvent) e).getPayloadAsString()).toList();
        assertThat(payloads).as("user events in the order the node reported them")
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 500).mapToObj(i -> "v" + i).toList());
        GossipUserEvent first = (GossipUserEvent) received.get(1);
        assertThat(first.getName()).isEqualTo("deploy");
        assertThat(first.getLtime()).isEqualTo(1);
        assertThat(first.isCoalesce()).isTrue();
        assertThat(threads).containsOnly("gossip-events");
        assertThat(relay.published()).isEqualTo(501);
        assertThat(relay.dropped()).isZero();
    }

    @Test
    void aSlowListenerCostsDroppedEventsNotABlockedGossipThread() throws InterruptedException {
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        relay = new GossipEventRelay("node", event -> {
            inListener.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.add(event);
        }, 4);
        relay.start();
        relay.onEvent(deploy(1));
        assertThat(inListener.await(5, TimeUnit.SECONDS)).as("listener got the first event").isTrue();

        // A blocking hand-over would hang here: the guard turns that into a failure.
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int i = 2; i <= 11; i++) {
                relay.onEvent(deploy(i)); // the listener holds event 1: 4 wait, 6 are dropped
            }
        });
        assertThat(relay.dropped()).isEqualTo(6);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 5);
        assertThat(received.stream().map(e -> ((GossipUserEvent) e).getPayloadAsString()))
                .as("the first five are delivered, in order; the rest were dropped")
                .containsExactly("v1", "v2", "v3", "v4", "v5");
    }

    @Test
    void eventsBeforeStartWaitForTheListenersAndQueriesAreNotEvents() {
        relay = new GossipEventRelay("node", recording(), 2);
        relay.onEvent(deploy(1));
        relay.onEvent(new Query(1, 1, "whoami", new byte[0], "x", 0, () -> 0, (q, p) -> { }));
        relay.onEvent(deploy(2));
        relay.onEvent(deploy(3));
        assertThat(received).as("nothing delivered before the context has refreshed").isEmpty();
        assertThat(relay.dropped()).isEqualTo(1);

        relay.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
        assertThat(received).allMatch(GossipUserEvent.class::isInstance);
    }

    @Test
    void aFailingListenerDoesNotStopDelivery() {
        relay = new GossipEventRelay("node", event -> {
            received.add(event);
            if (((GossipUserEvent) event).getLtime() == 1) {
                throw new IllegalStateException("listener bug");
            }
        }, 10);
        relay.start();
        relay.onEvent(deploy(1));
        relay.onEvent(deploy(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
        assertThat(relay.published()).isEqualTo(2);
    }

    private static Member member(String name) {
        return TestMembers.member(name, 1, Map.of(), MemberStatus.ALIVE, false);
    }
}
