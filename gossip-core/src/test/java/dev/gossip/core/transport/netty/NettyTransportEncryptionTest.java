package dev.gossip.core.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.StreamFraming;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node with keys refuses a plaintext stream on its first byte instead of buffering megabytes of it. */
class NettyTransportEncryptionTest {

    private final Transports transports = new Transports();

    @AfterEach
    void shutdown() {
        transports.close();
    }

    private NettyTransport keyedNode(RecordingReceiver receiver) {
        // A long stream timeout: only the first-byte check can close the stream in time.
        return transports.start("keyed", receiver, builder -> builder
                .framer(new StreamFraming(8 * 1024 * 1024, true))
                .streamTimeout(Duration.ofSeconds(30)));
    }

    @Test
    void plaintextFirstByteClosesTheStreamAtOnce() throws Exception {
        RecordingReceiver receiver = RecordingReceiver.holding();
        NettyTransport node = keyedNode(receiver);

        long start = System.nanoTime();
        try (Socket peer = new Socket(Transports.LOOPBACK, node.localAddress().getPort())) {
            peer.setSoTimeout(5_000);
            peer.getOutputStream().write(MessageType.PUSH_PULL); // one byte, then nothing

            assertThat(peer.getInputStream().read()).isEqualTo(-1);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("NettyTransportEncryptionTest: plaintext stream closed after %d ms%n", millis);
        assertThat(node.stats().droppedNotEncrypted()).isEqualTo(1);
        assertThat(node.stats().droppedMalformed()).isZero();
        assertThat(receiver.streams).isEmpty();
    }

    @Test
    void encryptedFirstByteWaitsForTheRest() throws Exception {
        NettyTransport node = keyedNode(RecordingReceiver.holding());

        try (Socket peer = new Socket(Transports.LOOPBACK, node.localAddress().getPort())) {
            peer.setSoTimeout(500);
            peer.getOutputStream().write(MessageType.ENCRYPT);
            InputStream in = peer.getInputStream();

            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(node.stats().droppedNotEncrypted()).isZero();
    }
}
