package dev.gossip.core.loopback;

import static dev.gossip.core.loopback.LoopbackCluster.POLL;
import static dev.gossip.core.loopback.LoopbackCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.QueryParams;
import dev.gossip.core.SeedAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol thread only does protocol work: no DNS on it, and no call from a listener blocks it for ever. */
class ProtocolThreadTest {

    private final LoopbackCluster cluster = new LoopbackCluster(dev.gossip.core.Profile.LOCAL);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aSlowSeedLookupNeverStallsTheProtocolThread() throws Exception {
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        GossipNode node = cluster.create("waiting", b -> b.seeds(List.of("slow-dns.example:7946")).retryJoin(false)
                .seedResolver((seed, port) -> {
                    try {
                        dnsAnswers.await(10, TimeUnit.SECONDS); // a resolver that hangs, as DNS can
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return List.of(new InetSocketAddress("127.0.0.1", 9)); // nobody there
                }));
        try {
            node.start();
            long t0 = System.nanoTime();
            node.setTags(Map.of("role", "web"));
            // tag updates run on the protocol thread: they land while the lookup still hangs
            await().atMost(Duration.ofSeconds(2)).pollInterval(POLL).until(() -> "web".equals(node.tags().get("role")));
            System.out.printf("protocol thread answered %d ms into a hanging seed lookup%n",
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            dnsAnswers.countDown();
        }
    }

    @Test
    void aBlockingQueryFromAListenerFailsAtOnceNamingTheAsyncCall() {
        GossipNode seed = cluster.start("seed");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        seed.addListener(event -> {
            if (event instanceof GossipEvent.MemberEvent m && m.members().stream().anyMatch(x -> !x.name().equals(seed.name()))
                    && failure.get() == null) {
                try {
                    seed.query("whoami", new byte[0], QueryParams.defaults());
                    failure.set(new AssertionError("query() returned on the gossip thread"));
                } catch (IllegalStateException e) {
                    failure.set(e);
                }
            }
        });
        GossipNode other = cluster.start("other");
        get(other.joinAsync(List.of(LoopbackCluster.seed(seed))));
        await().atMost(Duration.ofSeconds(5)).pollInterval(POLL).until(() -> failure.get() != null);
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("queryAsync");
        // and the gossip thread is free: the join completed and the node still answers
        await().atMost(Duration.ofSeconds(5)).pollInterval(POLL).until(() -> seed.members().size() == 2);
    }

    @Test
    void onlyIpLiteralsAreResolvedWithoutALookup() {
        assertThat(SeedAddress.isLiteral("10.0.0.5")).isTrue();
        assertThat(SeedAddress.isLiteral("10.0.0.5:7946")).isTrue();
        assertThat(SeedAddress.isLiteral("[::1]:7946")).isTrue();
        assertThat(SeedAddress.isLiteral("::1")).isTrue();
        assertThat(SeedAddress.isLiteral("node-a/10.0.0.5:7946")).isTrue();
        assertThat(SeedAddress.isLiteral("orders-gossip.default.svc.cluster.local:7946")).isFalse();
        assertThat(SeedAddress.isLiteral("localhost")).isFalse();
    }
}
