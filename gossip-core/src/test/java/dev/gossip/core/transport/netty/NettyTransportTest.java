package dev.gossip.core.transport.netty;

import static dev.gossip.core.transport.netty.LengthPrefixFramer.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyTransportTest {

    private static final Duration GENEROUS = Duration.ofSeconds(5);
    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

    private final Transports transports = new Transports();

    @AfterEach
    void shutdown() {
        transports.close();
    }

    @Test
    void packetsFlowBothWaysFromTheGossipPort() {
        RecordingReceiver atA = RecordingReceiver.holding();
        RecordingReceiver atB = RecordingReceiver.holding();
        NettyTransport a = transports.start("a", atA);
        NettyTransport b = transports.start("b", atB);

        a.sendPacket(b.localAddress(), "ping".getBytes(UTF_8));
        b.sendPacket(a.localAddress(), "ack".getBytes(UTF_8));

        await().atMost(GENEROUS).until(() -> atA.packets.size() == 1 && atB.packets.size() == 1);
        assertThat(atB.packets.get(0).bytes()).asString(UTF_8).isEqualTo("ping");
        // memberlist answers to the packet's source, so it must be the gossip port itself.
        assertThat(atB.packets.get(0).from()).isEqualTo(a.localAddress());
        assertThat(atA.packets.get(0).bytes()).asString(UTF_8).isEqualTo("ack");
        assertThat(atA.packets.get(0).from()).isEqualTo(b.localAddress());
        await().atMost(GENEROUS).until(() -> a.stats().packetsSent() == 1);
        assertThat(a.stats().packetBytesSent()).isEqualTo(4);
        assertThat(b.stats().packetsReceived()).isEqualTo(1);
        assertThat(b.stats().packetBytesReceived()).isEqualTo(4);
    }

    @Test
    void largestDatagramArrivesWhole() {
        RecordingReceiver atB = RecordingReceiver.holding();
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        NettyTransport b = transports.start("b", atB);
        byte[] big = new byte[65_507];
        new Random(1).nextBytes(big);

        a.sendPacket(b.localAddress(), big);

        await().atMost(GENEROUS).until(() -> atB.packets.size() == 1);
        assertThat(atB.packets.get(0).bytes()).isEqualTo(big);
    }

    @Test
    void tooLargeDatagramIsCountedNotThrown() {
        NettyTransport a = transports.start("a", RecordingReceiver.holding());

        a.sendPacket(a.localAddress(), new byte[70_000]);

        await().atMost(GENEROUS).until(() -> a.stats().droppedSendFailure() == 1);
        assertThat(a.stats().packetsSent()).isZero();
    }

    @Test
    void requestGetsTheFramedReply() {
        RecordingReceiver atB = RecordingReceiver.answering(
                message -> frame("re:" + new String(LengthPrefixFramer.body(message), UTF_8)));
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        NettyTransport b = transports.start("b", atB);
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame("push-pull"), true, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.failure).isNull();
        assertThat(LengthPrefixFramer.body(callback.reply)).asString(UTF_8).isEqualTo("re:push-pull");
        assertThat(atB.streams).singleElement().satisfies(stream -> {
            assertThat(stream.message()).isEqualTo(frame("push-pull"));
            assertThat(stream.from().getAddress()).isEqualTo(Transports.LOOPBACK);
        });
        assertThat(a.stats().streamsOut()).isEqualTo(1);
        assertThat(b.stats().streamsIn()).isEqualTo(1);
    }

    @Test
    void largeMessagesAreFramedAcrossManyReads() {
        byte[] body = new byte[3 * 1024 * 1024];
        new Random(2).nextBytes(body);
        RecordingReceiver atB = RecordingReceiver.answering(message -> message);
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        NettyTransport b = transports.start("b", atB);
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame(body), true, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.failure).isNull();
        assertThat(callback.reply).isEqualTo(frame(body));
    }

    @Test
    void requestWithoutReplyCompletesOnceWritten() {
        RecordingReceiver atB = RecordingReceiver.holding();
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        NettyTransport b = transports.start("b", atB);
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame("user-msg"), false, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.replied).isTrue();
        assertThat(callback.reply).isNull();
        await().atMost(GENEROUS).until(() -> atB.streams.size() == 1);
        assertThat(atB.streams.get(0).message()).isEqualTo(frame("user-msg"));
    }

    @Test
    void requestToAPortNobodyListensOnFailsFast() throws Exception {
        NettyTransport a = transports.start("a", RecordingReceiver.holding());

        RecordingCallback callback = requestToAClosedPort(a);

        assertThat(callback.failure).isInstanceOf(ConnectException.class);
        assertThat(a.stats().droppedSendFailure()).isEqualTo(1);
    }

    /** Sends a request to a port nobody listens on, and waits for its outcome. */
    private static RecordingCallback requestToAClosedPort(NettyTransport from) throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, Transports.LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        RecordingCallback callback = new RecordingCallback();
        from.request(new InetSocketAddress(Transports.LOOPBACK, closedPort), frame("x"), true,
                TEN_SECONDS, callback);
        await().atMost(GENEROUS).until(callback::done);
        return callback;
    }

    @Test
    void dropListenerHearsEachDropAndItsFailureDoesNotCostTheCallback() throws Exception {
        List<TransportDrop> heard = new CopyOnWriteArrayList<>();
        NettyTransport a = transports.start("a", RecordingReceiver.holding(),
                builder -> builder.dropListener(drop -> {
                    heard.add(drop);
                    throw new IllegalStateException("a broken listener");
                }));

        RecordingCallback callback = requestToAClosedPort(a);

        assertThat(callback.failure).isInstanceOf(ConnectException.class);
        assertThat(heard).containsExactly(TransportDrop.SEND_FAILURE);
    }

    @Test
    void requestTimesOutOnceWhenThePeerNeverReplies() {
        RecordingReceiver atB = RecordingReceiver.holding();
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        NettyTransport b = transports.start("b", atB);
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame("ping"), true, TimeUnit.MILLISECONDS.toNanos(200),
                callback);

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.failure).isInstanceOf(TimeoutException.class);
        // The late answer after the timeout must not complete the callback a second time.
        atB.streams.get(0).reply().reply(frame("late"));
        await().during(Duration.ofMillis(200)).atMost(GENEROUS)
                .until(() -> callback.completions.get() == 1);
        assertThat(a.stats().droppedTimeout()).isEqualTo(1);
    }

    @Test
    void closingWithoutAnswerFailsTheRequest() {
        RecordingReceiver atB = RecordingReceiver.holding();
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        NettyTransport b = transports.start("b", atB);
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame("ping"), true, TEN_SECONDS, callback);
        await().atMost(GENEROUS).until(() -> atB.streams.size() == 1);
        atB.streams.get(0).reply().close();

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.failure).hasMessageContaining("closed before a complete reply");
    }

    @Test
    void receiverExceptionsDoNotBreakTheTransport() {
        RecordingReceiver recorder = RecordingReceiver.answering(message -> message);
        NettyTransport b = transports.start("b", new dev.gossip.core.transport.Transport.Receiver() {
            @Override
            public void onPacket(byte[] packet, InetSocketAddress from) {
                if (packet[0] == 0) {
                    throw new IllegalStateException("expected by the test");
                }
                recorder.onPacket(packet, from);
            }

            @Override
            public void onStream(byte[] message, InetSocketAddress from,
                                 dev.gossip.core.transport.Transport.StreamReply reply) {
                if (message[4] == 0) {
                    throw new IllegalStateException("expected by the test");
                }
                recorder.onStream(message, from, reply);
            }
        });
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback failing = new RecordingCallback();
        RecordingCallback working = new RecordingCallback();

        a.sendPacket(b.localAddress(), new byte[] {0});
        a.sendPacket(b.localAddress(), new byte[] {1});
        a.request(b.localAddress(), frame(new byte[] {0}), true, TEN_SECONDS, failing);
        a.request(b.localAddress(), frame(new byte[] {1}), true, TEN_SECONDS, working);

        await().atMost(GENEROUS).until(() -> recorder.packets.size() == 1
                && failing.done() && working.done());
        assertThat(failing.failure).isNotNull();
        assertThat(working.reply).isEqualTo(frame(new byte[] {1}));
    }

    @Test
    void answeringAfterTheTransportShutDownIsHarmless() {
        RecordingReceiver atB = RecordingReceiver.holding();
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        NettyTransport b = transports.start("b", atB);
        RecordingCallback callback = new RecordingCallback();
        a.request(b.localAddress(), frame("ping"), true, TEN_SECONDS, callback);
        await().atMost(GENEROUS).until(() -> atB.streams.size() == 1);

        b.shutdown();
        atB.streams.get(0).reply().reply(frame("pong"));
        atB.streams.get(0).reply().close();

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.failure).isInstanceOf(IOException.class);
    }

    @Test
    void noCallbackAfterShutdown() {
        RecordingReceiver atB = RecordingReceiver.holding();
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        NettyTransport b = transports.start("b", atB);
        RecordingCallback pending = new RecordingCallback();
        a.request(b.localAddress(), frame("ping"), true, TimeUnit.MILLISECONDS.toNanos(300),
                pending);
        await().atMost(GENEROUS).until(() -> atB.streams.size() == 1);

        a.shutdown();
        RecordingCallback afterwards = new RecordingCallback();
        a.request(b.localAddress(), frame("ping"), true, TEN_SECONDS, afterwards);
        atB.streams.get(0).reply().reply(frame("pong"));

        await().during(Duration.ofMillis(500)).atMost(GENEROUS)
                .until(() -> !pending.done() && !afterwards.done());
        a.shutdown(); // idempotent
    }
}
