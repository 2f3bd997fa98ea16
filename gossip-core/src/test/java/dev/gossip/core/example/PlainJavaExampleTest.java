package dev.gossip.core.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's plain-Java example, kept honest: the code between the README-EXAMPLE markers is
 * what the README shows. A seed node (an existing cluster of one) is set up around it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlainJavaExampleTest {

    private GossipNode seed;
    private final List<GossipEvent> seenBySeed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSeed() {
        seed = GossipNode.create(GossipConfig.builder()
                .nodeName("seed-1")
                .bindAddress("127.0.0.1").bindPort(0)
                .build());
        seed.addListener(seenBySeed::add);
        seed.start().join();
    }

    @AfterEach
    void stopSeed() {
        seed.shutdown();
    }

    @Test
    void nodeJoinsThroughASeedListsMembersAndLeaves() {
        String seedAddress = "127.0.0.1:" + seed.localAddress().getPort();

        // README-EXAMPLE-START
        GossipConfig config = GossipConfig.builder()
                .nodeName("orders-1")                       // unique in the cluster
                .bindAddress("127.0.0.1").bindPort(0)       // 0 = any free port (default 0.0.0.0:7946)
                .tags(Map.of("service", "orders", "http-port", "8080"))
                .seeds(List.of(seedAddress))                // "host:port" of one or more members
                .build();

        GossipNode node = GossipNode.create(config);
        // Listeners run on the node's gossip thread: return quickly, never block.
        node.addListener(event -> System.out.println("event: " + event));
        int contacted = node.start().join();                // binds, then joins through the seeds
        System.out.println("joined through " + contacted + " seed(s)");

        List<Member> members = node.members();              // alive, leaving, left and failed
        members.forEach(System.out::println);               // name address:port status tags

        node.leave().join();                                // others see "left", not "failed"
        node.shutdown();
        // README-EXAMPLE-END

        assertThat(contacted).isEqualTo(1);
        assertThat(members).extracting(Member::name).containsExactlyInAnyOrder("seed-1", "orders-1");
        assertThat(members).allSatisfy(m -> assertThat(m.status()).isEqualTo(MemberStatus.ALIVE));
        assertThat(members).filteredOn(m -> m.name().equals("orders-1")).singleElement()
                .satisfies(m -> assertThat(m.tags()).containsEntry("service", "orders"));

        // The seed saw orders-1 join with its tags, then leave.
        await("seed sees orders-1 as left").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> seed.member("orders-1").map(Member::status).orElse(null) == MemberStatus.LEFT);
        assertThat(seenBySeed).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                GossipEvent.MemberEvent.class, m -> {
                    assertThat(m.type()).isEqualTo(GossipEvent.MemberEventType.JOIN);
                    assertThat(m.members()).singleElement().satisfies(x -> {
                        assertThat(x.name()).isEqualTo("orders-1");
                        assertThat(x.tags()).isEqualTo(Map.of("service", "orders", "http-port", "8080"));
                    });
                }));
        assertThat(node.isRunning()).isFalse();
    }
}
