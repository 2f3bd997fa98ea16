package dev.gossip.core.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.transport.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * UDP is read on an event loop of its own: TCP work, however slow, must not hold back the pings
 * and acks that the failure detector times.
 */
class NettyTransportUdpLoopTest {

    /** The transport's default TCP group size. */
    private static final int TCP_THREADS = 2;
    /** A stream whose first byte is this makes the framer stall its event loop. */
    private static final byte STALL = (byte) 0xB1;
    private static final long STALL_MILLIS = 1_000;
    private static final int PACKETS = 5;
    private static final long PACKET_GAP_MILLIS = 40;
    private static final byte WARM_UP = 100;
    /**
     * With UDP on the TCP group the packets waited for the stalled threads: 294–838 ms. On its own
     * loop a packet took 0.6 ms typically and 27 ms at worst over 24 runs, on 2 cores with a load
     * average of 8–10; the bound is twice that worst.
     */
    private static final long BOUND_MILLIS = 50;

    private final Transports transports = new Transports();

    @AfterEach
    void shutdown() {
        transports.close();
    }

    @Test
    void packetsArriveWhileEveryTcpThreadIsStalledFraming() throws Exception {
        CountDownLatch stalled = new CountDownLatch(TCP_THREADS);
        StreamFramer stalling = (buf, off, len) -> {
            if (buf[off] == STALL) {
                stalled.countDown();
                sleep(STALL_MILLIS);
                throw new StreamFramer.MalformedStreamException("stalled on purpose");
            }
            return StreamFramer.NEED_MORE;
        };
        Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
        Transport.Receiver receiver = new Transport.Receiver() {
            @Override
            public void onPacket(byte[] packet, InetSocketAddress from) {
                arrivals.put((int) packet[0], System.nanoTime());
            }

            @Override
            public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
                reply.close();
            }
        };
        NettyTransport b = transports.start("b", receiver,
                builder -> builder.framer(stalling).ioThreads(TCP_THREADS));

        try (DatagramSocket udp = new DatagramSocket(0, Transports.LOOPBACK)) {
            // Warm up the UDP path: the first packet pays for class loading, not for waiting.
            udp.send(new DatagramPacket(new byte[] {WARM_UP}, 1, b.localAddress()));
            await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.containsKey((int) WARM_UP));
        }
        for (int i = 0; i < TCP_THREADS; i++) {
            Socket socket = transports.keep(
                    new Socket(Transports.LOOPBACK, b.localAddress().getPort()));
            socket.getOutputStream().write(STALL);
        }
        long stallStart = System.nanoTime();
        // Both stalls at once: they are on different threads, so every TCP thread is busy.
        assertThat(stalled.await(STALL_MILLIS / 2, TimeUnit.MILLISECONDS))
                .as("every TCP thread stalls at once").isTrue();

        long[] sent = new long[PACKETS];
        try (DatagramSocket udp = new DatagramSocket(0, Transports.LOOPBACK)) {
            for (int i = 0; i < PACKETS; i++) {
                sent[i] = System.nanoTime();
                udp.send(new DatagramPacket(new byte[] {(byte) i}, 1, b.localAddress()));
                sleep(PACKET_GAP_MILLIS);
            }
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(sent[PACKETS - 1] - stallStart))
                .as("all packets sent while the TCP threads were stalled").isLessThan(STALL_MILLIS);

        await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() == PACKETS + 1);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < PACKETS; i++) {
            millis.add(Math.round((arrivals.get(i) - sent[i]) / 1e5) / 10.0);
        }
        double worstMillis = Collections.max(millis);
        System.out.printf("UDP delivery while %d TCP threads stalled, ms: %s%n", TCP_THREADS, millis);
        assertThat(worstMillis).as("worst UDP delivery, ms").isLessThan(BOUND_MILLIS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
