package dev.gossip.core.loopback;

import static dev.gossip.core.loopback.LoopbackCluster.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Profile;
import dev.gossip.core.security.Encryption;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.wire.Packets;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stream decryption, decompression and decoding run on the transport's threads, not on the
 * protocol thread that answers pings: a barrage of encrypted LZW bombs (each inflating to 12 MiB)
 * costs the transport's threads CPU, and the protocol thread next to nothing.
 */
class StreamDecodingThreadTest {

    private static final int BOMBS = 16;
    private static final int INFLATED_BYTES = 12 * 1024 * 1024;

    private final LoopbackCluster cluster = new LoopbackCluster(Profile.LOCAL);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void streamBombsCostTheTransportsThreadsNotTheProtocolThread() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        Keyring ring = Keyring.of(key);
        GossipNode victim = cluster.start("victim", b -> b.keyring(ring));
        String name = victim.config().nodeName();
        // 12 MiB of zeros, LZW-compressed to a few KB, then encrypted: valid until decoded.
        byte[] bomb = Encryption.encryptStream(ring, Packets.compress(new byte[INFLATED_BYTES]));
        InetSocketAddress target = victim.localAddress();

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadCpuTimeSupported()).as("thread CPU time is measurable on this JVM").isTrue();
        long dropsBefore = victim.stats().totalDrops();
        long protocolBefore = cpuNanos(threads, "gossip-" + name);
        long transportBefore = cpuNanos(threads, "gossip-netty-" + name);
        for (int i = 0; i < BOMBS; i++) {
            sendAndAwaitClose(target, bomb);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(POLL)
                .until(() -> victim.stats().totalDrops() - dropsBefore >= BOMBS);
        long protocolMs = (cpuNanos(threads, "gossip-" + name) - protocolBefore) / 1_000_000;
        long transportMs = (cpuNanos(threads, "gossip-netty-" + name) - transportBefore) / 1_000_000;
        System.out.printf("%d stream bombs (%d MiB inflated each): transport threads %d ms CPU, protocol thread %d ms%n",
                BOMBS, INFLATED_BYTES >> 20, transportMs, protocolMs);

        assertThat(transportMs).as("CPU ms the transport's threads spent decoding the bombs").isGreaterThan(100);
        assertThat(protocolMs).as("CPU ms of the protocol thread meanwhile (its own rounds only)")
                .isLessThan(transportMs / 10);
    }

    /** Writes one stream and reads until the node closes it (it answers an error, then closes). */
    private static void sendAndAwaitClose(InetSocketAddress to, byte[] stream) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 2_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(stream);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            while (in.read(new byte[4096]) >= 0) {
                // drain the error reply
            }
        }
    }

    /** CPU time of every live thread whose name starts with {@code prefix}, summed. */
    private static long cpuNanos(ThreadMXBean threads, String prefix) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().equals(prefix) || info.getThreadName().startsWith(prefix + "-"))) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }
}
