package dev.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.cluster.Tags;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.transport.netty.NettyTransport;
import dev.gossip.core.transport.netty.TransportStats;
import dev.gossip.core.wire.ErrResp;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.PushNodeState;
import dev.gossip.core.wire.PushPull;
import dev.gossip.core.wire.SerfPushPull;
import dev.gossip.core.wire.StreamFraming;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream size limits of a real node (Netty on loopback) against memberlist's: 20 MiB of
 * push/pull state (net.go maxPushStateBytes, plus the 5-byte encrypted frame header) on the wire
 * and 40 MiB after decompression (net.go maxDecompressedBytes, util.go:decompressBuffer).
 */
class StreamLimitsTest {

    private static final int MIB = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private GossipNode node;
    private NettyTransport nodeTransport;
    private NettyTransport client;

    @BeforeEach
    void start() throws Exception {
        // Room for the 50,000 nodes of the largest state pushed here (the default limit is 10,000).
        GossipConfig config = GossipConfig.builder().nodeName("big").bindAddress("127.0.0.1").bindPort(0)
                .timings(Timings.lan().toBuilder().maxMembers(60_000).build()).retryJoin(false).build();
        // The node counts its own drops; this test reads the transport's counters directly.
        GossipNode.Runtime runtime = RealRuntime.create(config, new dev.gossip.core.GossipStats(), address -> false);
        nodeTransport = (NettyTransport) runtime.transport();
        node = GossipNode.create(config, runtime);
        node.start().get(10, TimeUnit.SECONDS);
        client = NettyTransport.builder().name("client").bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .framer(new StreamFraming(RealRuntime.MAX_STREAM_BYTES)).ioThreads(1).build();
        client.start(new Transport.Receiver() {
            @Override
            public void onPacket(byte[] packet, InetSocketAddress from) {
            }

            @Override
            public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
                reply.close();
            }
        });
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (node != null) {
            node.shutdown();
        }
    }

    /**
     * A push/pull listing {@code count} alive nodes with 300 bytes of tags each (about 370 bytes a
     * node), on loopback addresses where nothing listens.
     */
    private static byte[] bigState(int count) {
        List<PushNodeState> nodes = new ArrayList<>(count);
        String pad = "x".repeat(250);
        for (int i = 0; i < count; i++) {
            byte[] meta = Tags.encode(Map.of("service", "orders", "zone", "z" + (i % 7), "pad", pad + i));
            nodes.add(new PushNodeState("n-" + i, new byte[] {127, 1, (byte) (i >> 8), (byte) i}, 9, meta, 1, 0,
                    new byte[] {1, 5, 2, 2, 5, 5}));
        }
        byte[] serf = new SerfPushPull(1, Map.of(), List.of(), 1, List.of(), 1).encode();
        return new PushPull(false, nodes, serf).encode();
    }

    /** The node's decompressed reply to {@code stream}; fails if the stream was refused. */
    private byte[] exchange(byte[] stream) throws Exception {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        client.request(node.localAddress(), stream, true, TimeUnit.SECONDS.toNanos(60), new Transport.StreamCallback() {
            @Override
            public void onReply(byte[] r) {
                reply.complete(r);
            }

            @Override
            public void onFailure(Throwable cause) {
                reply.completeExceptionally(cause);
            }
        });
        byte[] r = reply.get(90, TimeUnit.SECONDS);
        return (r[0] & 0xff) == MessageType.COMPRESS ? Packets.decompress(r, 1, r.length - 1) : r;
    }

    @Test
    void anUncompressedPushPullAboveTheOld8MibFrameLimitMerges() throws Exception {
        byte[] state = bigState(30_000);
        assertThat(state.length).isBetween(9 * MIB, 20 * MIB);

        byte[] reply = exchange(state);

        assertThat(reply[0] & 0xff).isEqualTo(MessageType.PUSH_PULL);
        await().atMost(WAIT).until(() -> node.members().size() == 30_001);
    }

    @Test
    void aPushPullInflatingAboveTheOld16MibLimitMerges() throws Exception {
        byte[] state = bigState(50_000);
        assertThat(state.length).isBetween(16 * MIB + 1, 20 * MIB);
        byte[] compressed = Packets.compress(state);
        assertThat(compressed.length).isLessThan(state.length);

        byte[] reply = exchange(compressed);

        assertThat(reply[0] & 0xff).isEqualTo(MessageType.PUSH_PULL);
        await().atMost(WAIT).until(() -> node.members().size() == 50_001);
        assertThat(node.stats().drops(DropReason.LZW)).isZero();
    }

    @Test
    void aFrameOverTheNewLimitIsClosedAndCountedAndTheNodeCarriesOn() throws Exception {
        byte[] state = bigState(60_000);
        assertThat(state.length).isGreaterThan(RealRuntime.MAX_STREAM_BYTES);

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> exchange(state))).isNotNull();
        await().atMost(WAIT).until(() -> {
            TransportStats s = nodeTransport.stats();
            return s.droppedOversize() + s.droppedMalformed() == 1;
        });
        assertThat(node.members()).hasSize(1);
        assertThat(exchange(bigState(10))[0] & 0xff).as("still answering").isEqualTo(MessageType.PUSH_PULL);
    }

    @Test
    void aStreamInflatingOverTheNewLimitIsACountedDropAnsweredWithAnError() throws Exception {
        byte[] bomb = Packets.compress(new byte[40 * MIB + 1]);
        assertThat(bomb.length).isLessThan(RealRuntime.MAX_STREAM_BYTES);

        byte[] reply = exchange(bomb);

        assertThat(reply[0] & 0xff).isEqualTo(MessageType.ERR);
        assertThat(ErrResp.decode(new MsgReader(reply, 1, reply.length - 1)).error()).isNotEmpty();
        assertThat(node.stats().drops(DropReason.LZW)).isEqualTo(1);
        assertThat(exchange(Packets.compress(bigState(10)))[0] & 0xff).isEqualTo(MessageType.PUSH_PULL);
    }
}
