package dev.gossip.core.transport.netty;

import static dev.gossip.core.transport.netty.LengthPrefixFramer.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limits that keep a misbehaving or hostile peer from exhausting a node. */
class NettyTransportLimitsTest {

    private static final Duration GENEROUS = Duration.ofSeconds(5);
    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

    private final Transports transports = new Transports();

    @AfterEach
    void shutdown() {
        transports.close();
    }

    @Test
    void oversizeInboundStreamIsClosedAndCounted() {
        RecordingReceiver atB = RecordingReceiver.answering(message -> message);
        NettyTransport b = transports.start("b", atB, builder -> builder.maxStreamBytes(1024));
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame(new byte[5000]), true, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(() -> callback.done() && b.stats().droppedOversize() == 1);
        assertThat(callback.failure).isInstanceOf(IOException.class);
        assertThat(atB.streams).isEmpty();
    }

    @Test
    void messageOfExactlyTheLimitIsAccepted() {
        RecordingReceiver atB = RecordingReceiver.answering(message -> frame("ok"));
        NettyTransport b = transports.start("b", atB, builder -> builder.maxStreamBytes(1024));
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame(new byte[1020]), true, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.reply).isEqualTo(frame("ok"));
    }

    /** The default fits memberlist's largest push/pull (maxPushStateBytes in an encrypted frame), not more. */
    @Test
    void defaultLimitIsMemberlistsLargestPushPull() {
        int limit = 20 * 1024 * 1024 + 5;
        RecordingReceiver atB = RecordingReceiver.answering(message -> frame("ok"));
        NettyTransport b = transports.start("b", atB);
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback atLimit = new RecordingCallback();
        RecordingCallback over = new RecordingCallback();

        a.request(b.localAddress(), frame(new byte[limit - 4]), true, TEN_SECONDS, atLimit);
        await().atMost(GENEROUS).until(atLimit::done);
        a.request(b.localAddress(), frame(new byte[limit - 3]), true, TEN_SECONDS, over);
        await().atMost(GENEROUS).until(() -> over.done() && b.stats().droppedOversize() == 1);

        assertThat(atLimit.reply).isEqualTo(frame("ok"));
        assertThat(over.failure).isInstanceOf(IOException.class);
    }

    @Test
    void oversizeReplyFailsTheRequest() {
        NettyTransport b = transports.start("b",
                RecordingReceiver.answering(message -> frame(new byte[5000])));
        NettyTransport a = transports.start("a", RecordingReceiver.holding(),
                builder -> builder.maxStreamBytes(1024));
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame("ping"), true, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.failure).isInstanceOf(IOException.class)
                .hasMessageContaining("longer than 1024 bytes");
        assertThat(a.stats().droppedOversize()).isEqualTo(1);
    }

    @Test
    void malformedStreamIsClosedAndCounted() {
        RecordingReceiver atB = RecordingReceiver.answering(message -> message);
        NettyTransport b = transports.start("b", atB);
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback callback = new RecordingCallback();
        byte[] negativeLength = ByteBuffer.allocate(8).putInt(-1).putInt(42).array();

        a.request(b.localAddress(), negativeLength, true, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(() -> callback.done() && b.stats().droppedMalformed() == 1);
        assertThat(callback.failure).isInstanceOf(IOException.class);
        assertThat(atB.streams).isEmpty();
    }

    @Test
    void malformedReplyFailsTheRequest() {
        NettyTransport b = transports.start("b",
                RecordingReceiver.answering(message -> new byte[] {-1, -1, -1, -1}));
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame("ping"), true, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.failure).hasMessageContaining("negative length");
        assertThat(a.stats().droppedMalformed()).isEqualTo(1);
    }

    @Test
    void streamsBeyondTheConcurrencyLimitAreClosedAtOnce() {
        // Holds the first streams open; answers the one sent after the slots are free.
        RecordingReceiver atB = RecordingReceiver.answering(
                message -> message[4] == '4' ? frame("ok") : null);
        NettyTransport b = transports.start("b", atB, builder -> builder.maxInboundStreams(2));
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback first = new RecordingCallback();
        RecordingCallback second = new RecordingCallback();
        RecordingCallback third = new RecordingCallback();

        a.request(b.localAddress(), frame("1"), true, TEN_SECONDS, first);
        a.request(b.localAddress(), frame("2"), true, TEN_SECONDS, second);
        await().atMost(GENEROUS).until(() -> atB.streams.size() == 2);
        a.request(b.localAddress(), frame("3"), true, TEN_SECONDS, third);

        await().atMost(GENEROUS).until(third::done);
        assertThat(third.failure).isInstanceOf(IOException.class);
        assertThat(b.stats().droppedTooManyStreams()).isEqualTo(1);
        assertThat(first.done()).isFalse();

        assertThat(b.openInboundStreams()).isEqualTo(2);

        // Answering frees the slots for later streams.
        atB.streams.forEach(stream -> stream.reply().reply(frame("ok")));
        await().atMost(GENEROUS).until(() -> first.done() && second.done());
        await().atMost(GENEROUS).until(() -> b.openInboundStreams() == 0);
        RecordingCallback fourth = new RecordingCallback();
        a.request(b.localAddress(), frame("4"), true, TEN_SECONDS, fourth);
        await().atMost(GENEROUS).until(fourth::done);
        assertThat(fourth.failure).isNull();
        assertThat(atB.streams).hasSize(3);
    }

    @Test
    void slowLorisIsClosedAtTheStreamDeadline() throws Exception {
        NettyTransport b = transports.start("b", RecordingReceiver.answering(message -> message),
                builder -> builder.streamTimeout(Duration.ofMillis(300)).maxInboundStreams(1));

        try (Socket slow = new Socket(Transports.LOOPBACK, b.localAddress().getPort())) {
            slow.setSoTimeout(5_000);
            slow.getOutputStream().write(new byte[] {0, 0}); // half a length prefix, then nothing
            InputStream in = slow.getInputStream();

            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(b.stats().droppedTimeout()).isEqualTo(1);

        // The only slot is free again.
        await().atMost(GENEROUS).until(() -> b.openInboundStreams() == 0);
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback callback = new RecordingCallback();
        a.request(b.localAddress(), frame("hi"), true, TEN_SECONDS, callback);
        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.reply).isEqualTo(frame("hi"));
    }

    @Test
    void streamTheNodeNeverAnswersIsClosedAfterTheReplyWindow() {
        RecordingReceiver atB = RecordingReceiver.holding();
        NettyTransport b = transports.start("b", atB,
                builder -> builder.streamTimeout(Duration.ofMillis(300)));
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback callback = new RecordingCallback();

        a.request(b.localAddress(), frame("ping"), true, TEN_SECONDS, callback);

        await().atMost(GENEROUS).until(callback::done);
        assertThat(callback.failure).isInstanceOf(IOException.class)
                .isNotInstanceOf(TimeoutException.class);
        assertThat(atB.streams).hasSize(1);
        assertThat(b.stats().droppedTimeout()).isEqualTo(1);
    }

    // Stream slots. Idle inbound connections hold their slots for the whole stream timeout;
    // shares keep a few hosts from taking them all: each non-member IP gets a few, members get
    // a reserve. All of 127/8 is loopback on Linux, so a socket bound to 127.0.0.2 is another
    // host as far as the transport can tell; an unbound one connects from 127.0.0.1.

    @Test
    void oneHostHoldingTwoHundredIdleConnectionsDoesNotLockOutAMember() throws Exception {
        NettyTransport b = transports.start("b", RecordingReceiver.answering(message -> frame("ok")),
                builder -> builder.memberAddress(Transports.LOOPBACK::equals));

        connectIdle("127.0.0.2", b, 200);

        await().atMost(GENEROUS).until(() -> b.stats().droppedTooManyStreamsFromSource() == 192);
        assertThat(b.openInboundStreams()).as("held by 127.0.0.2").isEqualTo(8);
        assertThat(b.stats().droppedTooManyStreams()).isZero();
        assertThat(requestFromLoopback(b).reply).as("the member's answer").isEqualTo(frame("ok"));
    }

    @Test
    void aNonMemberGetsItsShareAndAnotherNonMemberStillGetsIn() throws Exception {
        NettyTransport b = transports.start("b", RecordingReceiver.answering(message -> frame("ok")));

        connectIdle("127.0.0.2", b, 20);
        await().atMost(GENEROUS).until(() -> b.stats().droppedTooManyStreamsFromSource() == 12);
        assertThat(b.openInboundStreams()).isEqualTo(8);

        try (Socket other = connect("127.0.0.3", b)) {
            other.getOutputStream().write(frame("hi"));
            assertThat(other.getInputStream().readNBytes(6)).isEqualTo(frame("ok"));
        }
    }

    @Test
    void nonMembersLeaveTheReserveToMembersAndMembersCountTowardsTheTotal() throws Exception {
        NettyTransport b = transports.start("b", RecordingReceiver.holding(),
                builder -> builder.maxInboundStreams(20).maxInboundStreamsPerSource(3)
                        .memberStreamReserve(4).memberAddress(Transports.LOOPBACK::equals));

        for (int host = 2; host <= 7; host++) {
            connectIdle("127.0.0." + host, b, 3);
        }
        // Six hosts, each within its share, ask for 18 of the 16 slots open to non-members.
        await().atMost(GENEROUS).until(() -> b.stats().droppedTooManyStreams() == 2);
        assertThat(b.openInboundStreams()).isEqualTo(16);
        assertThat(b.stats().droppedTooManyStreamsFromSource()).isZero();

        // The member gets the 4 reserved slots, more than a non-member's share, and no more.
        connectIdle("127.0.0.1", b, 5);
        await().atMost(GENEROUS).until(() -> b.stats().droppedTooManyStreams() == 3);
        assertThat(b.openInboundStreams()).isEqualTo(20);
        assertThat(b.stats().droppedTooManyStreamsFromSource()).isZero();
    }

    @Test
    void slotsAreGivenBackWhenConnectionsClose() throws Exception {
        NettyTransport b = transports.start("b", RecordingReceiver.holding(),
                builder -> builder.maxInboundStreamsPerSource(2));
        List<Socket> first = connectIdle("127.0.0.2", b, 2);
        await().atMost(GENEROUS).until(() -> b.openInboundStreams() == 2);

        for (Socket socket : first) {
            socket.close();
        }
        await().atMost(GENEROUS).until(() -> b.openInboundStreams() == 0);
        connectIdle("127.0.0.2", b, 2);

        await().atMost(GENEROUS).until(() -> b.openInboundStreams() == 2);
        assertThat(b.stats().droppedTooManyStreamsFromSource()).isZero();
    }

    /** Opens {@code count} connections from {@code sourceIp} that send nothing. */
    private List<Socket> connectIdle(String sourceIp, NettyTransport to, int count)
            throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(connect(sourceIp, to));
        }
        return sockets;
    }

    /** A connection from {@code sourceIp}, closed after the test. */
    private Socket connect(String sourceIp, NettyTransport to) throws IOException {
        Socket socket = transports.keep(new Socket());
        socket.setSoTimeout(5_000);
        socket.bind(new InetSocketAddress(InetAddress.getByName(sourceIp), 0));
        socket.connect(to.localAddress());
        return socket;
    }

    /** A request through a real transport, which connects from 127.0.0.1. */
    private RecordingCallback requestFromLoopback(NettyTransport to) {
        NettyTransport a = transports.start("a", RecordingReceiver.holding());
        RecordingCallback callback = new RecordingCallback();
        a.request(to.localAddress(), frame("ping"), true, TEN_SECONDS, callback);
        await().atMost(GENEROUS).until(callback::done);
        return callback;
    }
}
