package dev.gossip.core.interop;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Profile;
import dev.gossip.core.security.Keyring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Java gossip nodes on 127.0.0.1 for interop tests; remembers what each saw, stops them all. */
final class JavaNodes implements AutoCloseable {

    /** A node and its event log. */
    record Node(GossipNode node, int port, List<GossipEvent> events) {
        String address() {
            return "127.0.0.1:" + port;
        }

        MemberStatus statusOf(String name) {
            return node.member(name).map(Member::status).orElse(MemberStatus.NONE);
        }

        Map<String, String> tagsOf(String name) {
            return node.member(name).map(Member::tags).orElse(Map.of());
        }
    }

    private final List<Node> nodes = new ArrayList<>();

    Node start(String name, Map<String, String> tags, Keyring keyring) {
        return start(name, tags, keyring, b -> b);
    }

    /** As {@link #start(String, Map, Keyring)}, with more settings (a snapshot path, an RPC server, a profile). */
    Node start(String name, Map<String, String> tags, Keyring keyring,
               java.util.function.UnaryOperator<GossipConfig.Builder> customize) {
        int port = FreePorts.next();
        GossipConfig config = customize.apply(GossipConfig.builder().nodeName(name).bindAddress("127.0.0.1")
                .bindPort(port).tags(tags).keyring(keyring).profile(Profile.LAN)).build();
        GossipNode node = GossipNode.create(config);
        List<GossipEvent> events = new CopyOnWriteArrayList<>();
        node.addListener(events::add);
        node.start().join();
        Node n = new Node(node, port, events);
        nodes.add(n);
        return n;
    }

    @Override
    public void close() {
        nodes.forEach(n -> n.node().shutdown());
    }
}
