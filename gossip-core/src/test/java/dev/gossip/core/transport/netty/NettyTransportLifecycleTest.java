package dev.gossip.core.transport.netty;

import static dev.gossip.core.transport.netty.LengthPrefixFramer.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Binding, start and shutdown. */
class NettyTransportLifecycleTest {

    private static final Duration GENEROUS = Duration.ofSeconds(5);

    private final Transports transports = new Transports();

    @AfterEach
    void shutdown() {
        transports.close();
    }

    @Test
    void portZeroBindsTcpAndUdpToTheSamePort() throws Exception {
        RecordingReceiver receiver = RecordingReceiver.answering(message -> message);
        NettyTransport t = transports.start("t", receiver);
        InetSocketAddress bound = t.localAddress();

        assertThat(bound.getAddress()).isEqualTo(Transports.LOOPBACK);
        assertThat(bound.getPort()).isPositive();
        try (DatagramSocket udp = new DatagramSocket(0, Transports.LOOPBACK)) {
            udp.send(new DatagramPacket(new byte[] {7}, 1, bound));
        }
        try (Socket tcp = new Socket(Transports.LOOPBACK, bound.getPort())) {
            tcp.setSoTimeout(5_000);
            tcp.getOutputStream().write(frame("tcp"));
            assertThat(tcp.getInputStream().readNBytes(7)).isEqualTo(frame("tcp"));
        }
        await().atMost(GENEROUS).until(() -> receiver.packets.size() == 1);
        // Both protocols hold the port.
        assertThatThrownBy(() -> new DatagramSocket(bound).close()).isInstanceOf(BindException.class);
        assertThatThrownBy(() -> new ServerSocket(bound.getPort(), 1, Transports.LOOPBACK).close())
                .isInstanceOf(BindException.class);
    }

    @Test
    void occupiedTcpPortGivesAnActionableMessage() throws IOException {
        try (ServerSocket occupier = new ServerSocket(0, 1, Transports.LOOPBACK)) {
            int port = occupier.getLocalPort();
            InetSocketAddress wanted = new InetSocketAddress(Transports.LOOPBACK, port);

            assertThatThrownBy(() -> transports.start("t", RecordingReceiver.holding(),
                    builder -> builder.bindAddress(wanted)))
                    .isInstanceOfSatisfying(PortBindException.class, e -> {
                        assertThat(e).hasMessage("Cannot bind gossip port 127.0.0.1:" + port
                                + " (TCP): address already in use. Set a free bind port or stop"
                                + " the process using it.");
                        assertThat(e.address()).isEqualTo(wanted);
                        assertThat(e.protocol()).isEqualTo("TCP");
                        assertThat(e.reason()).isEqualTo("address already in use");
                    });
        }
    }

    @Test
    void occupiedUdpPortGivesAnActionableMessageAndReleasesTcp() throws IOException {
        int port;
        try (DatagramSocket occupier = udpWithFreeTcpTwin()) {
            port = occupier.getLocalPort();
            InetSocketAddress wanted = new InetSocketAddress(Transports.LOOPBACK, port);

            assertThatThrownBy(() -> transports.start("t", RecordingReceiver.holding(),
                    builder -> builder.bindAddress(wanted)))
                    .isInstanceOfSatisfying(PortBindException.class, e -> {
                        assertThat(e).hasMessageStartingWith("Cannot bind gossip port 127.0.0.1:"
                                + port + " (UDP): address already in use.");
                        assertThat(e.protocol()).isEqualTo("UDP");
                    });
        }
        // The TCP half bound before UDP failed must have been let go.
        new ServerSocket(port, 1, Transports.LOOPBACK).close();
    }

    /**
     * A UDP socket on a free port whose TCP twin is free too: the transport binds TCP first, and
     * an ephemeral port's TCP twin may be some other connection's (then TCP's error would come first).
     */
    private static DatagramSocket udpWithFreeTcpTwin() throws IOException {
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(0, Transports.LOOPBACK);
            try (ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, Transports.LOOPBACK)) {
                return udp;
            } catch (IOException e) {
                udp.close();
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    @Test
    void shutdownReleasesThePortForTheNextTransport() {
        NettyTransport first = transports.start("first", RecordingReceiver.holding());
        InetSocketAddress bound = first.localAddress();

        first.shutdown();

        NettyTransport second = transports.start("second", RecordingReceiver.holding(),
                builder -> builder.bindAddress(bound));
        assertThat(second.localAddress()).isEqualTo(bound);
    }

    @Test
    void startsOnlyOnce() {
        NettyTransport t = transports.start("t", RecordingReceiver.holding());

        assertThatThrownBy(() -> t.start(RecordingReceiver.holding()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void beforeStartSendsAreCountedAndRequestsFail() {
        NettyTransport t = Transports.loopbackBuilder("t").build();
        RecordingCallback callback = new RecordingCallback();

        t.sendPacket(new InetSocketAddress(Transports.LOOPBACK, 9), new byte[1]);
        t.request(new InetSocketAddress(Transports.LOOPBACK, 9), new byte[1], true,
                TimeUnit.SECONDS.toNanos(1), callback);

        assertThat(t.stats().droppedSendFailure()).isEqualTo(2);
        assertThat(callback.failure).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(t::localAddress).isInstanceOf(IllegalStateException.class);
        t.shutdown(); // harmless
    }

    @Test
    void sharedEventLoopGroupIsLeftRunning() {
        EventLoopGroup shared = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            RecordingReceiver atB = RecordingReceiver.answering(message -> message);
            NettyTransport a = transports.start("shared-a", RecordingReceiver.holding(),
                    builder -> builder.eventLoopGroup(shared));
            NettyTransport b = transports.start("shared-b", atB,
                    builder -> builder.eventLoopGroup(shared));
            RecordingCallback callback = new RecordingCallback();
            a.request(b.localAddress(), frame("x"), true, TimeUnit.SECONDS.toNanos(5), callback);
            await().atMost(GENEROUS).until(callback::done);
            assertThat(callback.reply).isEqualTo(frame("x"));

            a.shutdown();
            b.shutdown();

            assertThat(shared.isShuttingDown()).isFalse();
            // The UDP loops were the transports' own, shared group or not.
            await().atMost(GENEROUS).until(() -> liveThreads("gossip-netty-shared-").isEmpty());
        } finally {
            shared.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    private static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .toList();
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThatThrownBy(() -> NettyTransport.builder().build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> NettyTransport.builder().maxStreamBytes(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NettyTransport.builder()
                .bindAddress(InetSocketAddress.createUnresolved("example.invalid", 7946)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NettyTransport.builder().maxInboundStreamsPerSource(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NettyTransport.builder().memberStreamReserve(-1))
                .isInstanceOf(IllegalArgumentException.class);
        // Non-members (every joining node) would get no slot at all.
        assertThatThrownBy(() -> Transports.loopbackBuilder("t").maxInboundStreams(16)
                .memberAddress(address -> true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("memberStreamReserve (16) must be less than maxInboundStreams (16),"
                        + " or nobody could ever join");
        // Without a way to tell members there is no reserve to conflict with.
        Transports.loopbackBuilder("t").maxInboundStreams(16).build();
    }
}
