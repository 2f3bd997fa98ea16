package dev.gossip.core.transport.netty;

import static dev.gossip.core.transport.netty.LengthPrefixFramer.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Idle inbound connections hold their slots for the whole stream timeout. Shares keep a few hosts
 * from taking them all: each non-member IP gets a few, members get a reserve. All of 127/8 is
 * loopback on Linux, so a socket bound to 127.0.0.2 is another host as far as the transport can
 * tell; an unbound one connects from 127.0.0.1.
 */
class NettyTransportStreamSlotsTest {

    private static final Duration GENEROUS = Duration.ofSeconds(10);
    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);

    private final Transports transports = new Transports();
    private final List<Socket> held = new ArrayList<>();

    @AfterEach
    void shutdown() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        transports.close();
    }

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
                builder -> builder.maxInboundStreams(20).maxInboundStreamsPerSource(4)
                        .memberStreamReserve(4).memberAddress(Transports.LOOPBACK::equals));

        for (int host = 2; host <= 6; host++) {
            connectIdle("127.0.0." + host, b, 4);
        }
        // Four hosts fill the 16 slots open to non-members; the fifth finds none.
        await().atMost(GENEROUS).until(() -> b.stats().droppedTooManyStreams() == 4);
        assertThat(b.openInboundStreams()).isEqualTo(16);
        assertThat(b.stats().droppedTooManyStreamsFromSource()).isZero();

        // The four reserved slots, and more than a non-member's share, go to the member.
        connectIdle("127.0.0.1", b, 5);
        await().atMost(GENEROUS).until(() -> b.stats().droppedTooManyStreams() == 5);
        assertThat(b.openInboundStreams()).isEqualTo(20);
    }

    @Test
    void slotsAreGivenBackWhenConnectionsClose() throws Exception {
        NettyTransport b = transports.start("b", RecordingReceiver.holding(),
                builder -> builder.maxInboundStreamsPerSource(2));
        connectIdle("127.0.0.2", b, 2);
        await().atMost(GENEROUS).until(() -> b.openInboundStreams() == 2);

        for (Socket socket : held) {
            socket.close();
        }
        await().atMost(GENEROUS).until(() -> b.openInboundStreams() == 0);
        connectIdle("127.0.0.2", b, 2);

        await().atMost(GENEROUS).until(() -> b.openInboundStreams() == 2);
        assertThat(b.stats().droppedTooManyStreamsFromSource()).isZero();
    }

    /** Opens {@code count} connections from {@code sourceIp} that send nothing, and keeps them. */
    private void connectIdle(String sourceIp, NettyTransport to, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            held.add(connect(sourceIp, to));
        }
    }

    private static Socket connect(String sourceIp, NettyTransport to) throws IOException {
        Socket socket = new Socket();
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
