package dev.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.security.Keyring;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the real runtime wires between a node and its Netty transport, on 127.0.0.1. */
class RealRuntimeTest {

    private static final Duration GENEROUS = Duration.ofSeconds(10);

    private final List<GossipNode> nodes = new ArrayList<>();
    private final List<Socket> held = new ArrayList<>();

    @AfterEach
    void shutdown() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        nodes.forEach(GossipNode::shutdown);
    }

    private GossipNode start(String name, UnaryOperator<GossipConfig.Builder> customize) {
        GossipNode node = GossipNode.create(customize.apply(GossipConfig.builder()
                .nodeName(name)
                .bindAddress("127.0.0.1").bindPort(0)
                .retryJoin(false)).build());
        nodes.add(node);
        node.start();
        return node;
    }

    @Test
    void aMemberStillPushPullsWhileNonMembersHoldEverySlotOpenToThem() throws Exception {
        // Connections from this JVM leave from 127.0.0.1 unless bound: the seed listens on another
        // loopback address, so only the member advertising 127.0.0.1 connects from a member's IP.
        GossipNode seed = start("seed", b -> b.bindAddress("127.0.0.5"));
        GossipNode member = start("member", b -> b);
        String seedAddress = "127.0.0.5:" + seed.localAddress().getPort();
        assertThat(member.joinAsync(List.of(seedAddress)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        await().atMost(GENEROUS).until(() -> seed.member("member").isPresent());

        // 16 hosts × 8 idle connections: as many as the seed's 128 slots. Non-members get 112.
        for (int host = 10; host < 26; host++) {
            for (int i = 0; i < 8; i++) {
                Socket idle = new Socket();
                idle.bind(new InetSocketAddress("127.0.0." + host, 0));
                idle.connect(seed.localAddress());
                held.add(idle);
            }
        }
        await().atMost(GENEROUS).until(() -> seed.stats().drops(DropReason.TOO_MANY_STREAMS) == 16);

        assertThat(member.joinAsync(List.of(seedAddress)).get(10, TimeUnit.SECONDS))
                .as("push/pull with the seed while non-members hold 112 slots").isEqualTo(1);
    }

    @Test
    void streamsTheTransportRefusesAreCountedWithTheNodesDrops() throws Exception {
        GossipNode node = start("keyed", b -> b.keyring(Keyring.of(new byte[32])));

        try (Socket plaintext = new Socket("127.0.0.1", node.localAddress().getPort())) {
            plaintext.setSoTimeout(5_000);
            plaintext.getOutputStream().write(6); // a push/pull, unencrypted
            InputStream in = plaintext.getInputStream();
            assertThat(in.read()).as("closed without an answer").isEqualTo(-1);
        }

        await().atMost(GENEROUS).until(() -> node.stats().drops(DropReason.NOT_ENCRYPTED) == 1);
    }
}
