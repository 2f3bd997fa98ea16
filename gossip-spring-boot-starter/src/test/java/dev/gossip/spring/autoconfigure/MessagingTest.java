package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.messaging.GossipEventRelay;
import dev.gossip.spring.messaging.GossipMemberEvent;
import dev.gossip.spring.messaging.GossipMessaging;
import dev.gossip.spring.messaging.GossipQueryHandler;
import dev.gossip.spring.messaging.GossipQueryResponses;
import dev.gossip.spring.messaging.GossipUserEvent;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** In a real context: @EventListener methods get gossip events, handler beans answer queries. */
class MessagingTest {

    @Test
    void eventListenersGetUserAndMemberEventsAndHandlersAnswerQueries() {
        StarterContexts.runner().withUserConfiguration(App.class)
                .withPropertyValues("spring.cloud.gossip.node-name=node-1").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    Listener listener = ctx.getBean(Listener.class);
                    String seed = "127.0.0.1:" + ctx.getBean(GossipNode.class).localAddress().getPort();
                    StarterContexts.runner().withPropertyValues("spring.cloud.gossip.node-name=node-2",
                            "spring.cloud.gossip.seeds=" + seed).run(other -> assertThat(other).hasNotFailed());
                    await().atMost(Duration.ofSeconds(5)).until(() -> listener.memberEvents().contains("member-leave node-2"));
                    assertThat(listener.memberEvents()).as("node-2 joined, then left")
                            .containsSubsequence("member-join node-2", "member-leave node-2");

                    GossipMessaging messaging = ctx.getBean(GossipMessaging.class);
                    messaging.send("deploy", "v42");
                    messaging.send("other", "ignored");
                    await().atMost(Duration.ofSeconds(5)).until(() -> listener.deploys.size() == 1);
                    assertThat(listener.deploys).containsExactly("v42");
                    assertThat(listener.threads).containsOnly("gossip-events");

                    GossipQueryResponses answers = messaging.query("whoami", "", Duration.ofMillis(500))
                            .get(5, TimeUnit.SECONDS);
                    assertThat(answers.asStrings()).containsExactly(java.util.Map.entry("node-1", "node-1 here"));

                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    ctx.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(registry));
                    assertThat(registry.get("gossip.queries.handled").tag("outcome", "answered").functionCounter()
                            .count()).isEqualTo(1);
                    assertThat(registry.get("gossip.events.dropped").functionCounter().count()).isZero();
                });
    }

    @Test
    void aTooLargeEventSaysWhatToDoInstead() {
        StarterContexts.runner().run(ctx -> {
            GossipMessaging messaging = ctx.getBean(GossipMessaging.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> messaging.send("deploy", "x".repeat(600)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("512 bytes")
                    .hasMessageContaining("send a reference");
        });
    }

    @Test
    void twoHandlersForOneQueryFailTheStart() {
        StarterContexts.runner().withUserConfiguration(App.class, SecondWhoami.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageContaining("'whoami' and 'anotherWhoami' both answer query 'whoami'");
        });
    }

    @Test
    void eventsCanBeSwitchedOffWhileQueriesAreStillAnswered() {
        StarterContexts.runner().withUserConfiguration(App.class)
                .withPropertyValues("spring.cloud.gossip.events.enabled=false").run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean(GossipEventRelay.class);
                    assertThat(ctx).hasSingleBean(GossipMessaging.class);
                });
    }

    @Test
    void nothingWithoutAGossipNode() {
        StarterContexts.runner().withPropertyValues("spring.cloud.gossip.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(GossipMessaging.class)
                    .doesNotHaveBean(GossipEventRelay.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class App {
        @Bean
        Listener listener() {
            return new Listener();
        }

        @Bean
        GossipQueryHandler whoami(org.springframework.core.env.Environment env) {
            return GossipQueryHandler.ofText("whoami", q -> env.getProperty("spring.cloud.gossip.node-name") + " here");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SecondWhoami {
        @Bean
        GossipQueryHandler anotherWhoami() {
            return GossipQueryHandler.ofText("whoami", q -> "me too");
        }
    }

    static class Listener {
        final List<String> deploys = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<GossipMemberEvent> members = new CopyOnWriteArrayList<>();

        @EventListener(condition = "#event.name == 'deploy'")
        void onDeploy(GossipUserEvent event) {
            deploys.add(event.getPayloadAsString());
            threads.add(Thread.currentThread().getName());
        }

        @EventListener
        void onMember(GossipMemberEvent event) {
            members.add(event);
        }

        List<String> memberEvents() {
            return members.stream().flatMap(e -> e.getMemberNames().stream()
                    .map(n -> e.getType().serfName() + " " + n)).toList();
        }
    }
}
