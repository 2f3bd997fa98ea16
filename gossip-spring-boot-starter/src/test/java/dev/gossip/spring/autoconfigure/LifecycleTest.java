package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * stop() then start() (context.stop()/start(), /actuator/pause and resume, a CRaC checkpoint):
 * the instance goes OUT_OF_SERVICE and leaves, releases its port, then rejoins with a new
 * incarnation and UP again. The drain only happens for a registered instance.
 */
class LifecycleTest {

    private final ApplicationContextRunner runner = StarterContexts.runner();

    @Test
    void stopThenStartLeavesAndRejoinsUpAgain() {
        runner.withPropertyValues("spring.application.name=observer").run(observer -> {
            GossipNode watcher = observer.getBean(GossipNode.class);
            String seed = "127.0.0.1:" + watcher.localAddress().getPort();
            runner.withPropertyValues("spring.cloud.gossip.seeds=" + seed, "spring.cloud.gossip.discovery.port=8080")
                    .run(ctx -> {
                GossipNode node = ctx.getBean(GossipNode.class);
                AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                await().atMost(Duration.ofSeconds(10)).until(() -> statusSeenBy(watcher, node).equals("alive/UP"));
                long incarnation = watcher.member(node.name()).orElseThrow().incarnation();

                ctx.stop();
                assertThat(node.isRunning()).isFalse();
                await().atMost(Duration.ofSeconds(10)).until(() -> statusSeenBy(watcher, node).startsWith("left/"));
                assertThat(watcher.member(node.name()).orElseThrow().tags())
                        .containsEntry(ServiceTags.STATUS, "OUT_OF_SERVICE");

                ctx.start();
                assertThat(node.isRunning()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> statusSeenBy(watcher, node).equals("alive/UP"));
                assertThat(watcher.member(node.name()).orElseThrow().incarnation()).isGreaterThan(incarnation);
                assertThat(ctx.getBean(GossipServiceRegistry.class).effectiveStatus()).isEqualTo("UP");
            });
        });
    }

    @Test
    void aStoppedSeedFindsItsClusterAgainThroughThePeersItKnew() {
        runner.run(seedCtx -> {
            GossipNode seed = seedCtx.getBean(GossipNode.class);
            runner.withPropertyValues("spring.cloud.gossip.seeds=127.0.0.1:" + seed.localAddress().getPort())
                    .run(other -> {
                GossipNode peer = other.getBean(GossipNode.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> statusSeenBy(peer, seed).startsWith("alive"));
                seedCtx.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> statusSeenBy(peer, seed).startsWith("left"));
                seedCtx.start(); // the seed has no seeds of its own
                await().atMost(Duration.ofSeconds(10)).until(() -> statusSeenBy(peer, seed).startsWith("alive"));
            });
        });
    }

    @Test
    void onlyARegisteredInstanceDrains() {
        runner.withPropertyValues("spring.cloud.gossip.drain-period=3s").run(ctx -> {
            long ms = timedStop(ctx); // never registered: nobody routes here, nothing to drain
            System.out.printf("stop of an unregistered instance with a 3 s drain period: %d ms%n", ms);
            assertThat(ms).isLessThan(1500);
        });
        runner.withPropertyValues("spring.cloud.gossip.drain-period=1s", "spring.cloud.gossip.discovery.port=8080")
                .run(ctx -> {
                    AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                    long ms = timedStop(ctx);
                    System.out.printf("stop of a registered instance with a 1 s drain period: %d ms%n", ms);
                    assertThat(ms).isBetween(1000L, 2500L);
                });
    }

    private static long timedStop(ConfigurableApplicationContext ctx) {
        long t0 = System.nanoTime();
        ctx.stop();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** "status/statusTag" of {@code node} as {@code observer} sees it, or "unknown". */
    private static String statusSeenBy(GossipNode observer, GossipNode node) {
        return observer.member(node.name()).map(LifecycleTest::describe).orElse("unknown");
    }

    private static String describe(Member m) {
        return (m.status() == MemberStatus.ALIVE ? "alive" : m.status().serfName()) + "/"
                + m.tags().getOrDefault(ServiceTags.STATUS, "-");
    }
}
