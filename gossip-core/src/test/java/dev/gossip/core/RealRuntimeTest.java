package dev.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.security.Keyring;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the real runtime wires between a node and its Netty transport, on 127.0.0.1. */
class RealRuntimeTest {

    private static final Duration GENEROUS = Duration.ofSeconds(10);

    private final List<GossipNode> nodes = new ArrayList<>();

    @AfterEach
    void shutdown() {
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
