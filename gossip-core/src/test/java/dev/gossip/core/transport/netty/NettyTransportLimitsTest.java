package dev.gossip.core.transport.netty;

import static dev.gossip.core.transport.netty.LengthPrefixFramer.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
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
}
