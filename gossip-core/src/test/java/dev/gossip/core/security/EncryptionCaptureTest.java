package dev.gossip.core.security;

import dev.gossip.core.TestBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.core.wire.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Decrypts real traffic between two {@code serf agent -encrypt=...} processes (serf 0.9.4,
 * memberlist 0.2.x): the bytes Go produced are the ground truth for the format in §3.5 / §6.4.
 */
class EncryptionCaptureTest {

    /** memberlist message types that may start a UDP packet's plaintext (§3.1). */
    private static final Set<Integer> UDP_TYPES = Set.of(0, 2, 3, 4, 5, 7, 8, 9, 11, 12);

    /** {@code 09 82 a4 "Algo"}: a compress message, as serf always compresses streams (§6.1). */
    private static final byte[] COMPRESSED_STREAM_PREFIX =
            concat(new byte[] {0x09, (byte) 0x82, (byte) 0xa4}, "Algo".getBytes(StandardCharsets.US_ASCII));

    private static final byte[] WRONG_KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private final SerfCaptures capture = SerfCaptures.load("encrypted.json");
    private final Keyring ring = SerfCaptures.captureKeyring();

    @Test
    void captureHasTheDocumentedTraffic() {
        assertThat(capture.datagrams).hasSize(23);
        assertThat(capture.streams).hasSize(2);
        assertThat(ring.primaryKey()).hasSize(32);
    }

    @Test
    void everyDatagramDecryptsToAMemberlistMessage() throws Exception {
        for (byte[] packet : capture.datagrams) {
            assertThat(packet[0]).as("serf sends encryption version 1").isEqualTo((byte) 1);
            byte[] plain = Encryption.decryptPacket(ring, packet);
            assertThat(plain.length).isEqualTo(packet.length - Encryption.overhead());
            assertThat(UDP_TYPES).contains(plain[0] & 0xff);
        }
    }

    @Test
    void everyStreamFrameDecryptsToACompressedMessage() throws Exception {
        int frames = 0;
        for (byte[] stream : capture.streams) {
            for (byte[] frame : frames(stream)) {
                byte[] plain = Encryption.decryptStream(ring, frame);
                assertThat(plain.length).isEqualTo(frame.length - 5 - Encryption.overhead());
                assertThat(Arrays.copyOf(plain, COMPRESSED_STREAM_PREFIX.length))
                        .isEqualTo(COMPRESSED_STREAM_PREFIX);
                frames++;
            }
        }
        assertThat(frames).isGreaterThanOrEqualTo(2);
    }

    @Test
    void joinStreamHeaderMatchesTheReference() {
        // §6.4: "Observed: header 0a 000000f5 followed by 245 bytes".
        byte[] join = capture.streams.get(0);
        assertThat(Arrays.copyOf(join, 5)).isEqualTo(HexFormat.of().parseHex("0a000000f5"));
        assertThat(join).hasSize(5 + 245);
    }

    @Test
    void wrongKeyDecryptsNothing() {
        Keyring wrong = Keyring.of(WRONG_KEY);
        for (byte[] packet : capture.datagrams) {
            assertThatThrownBy(() -> Encryption.decryptPacket(wrong, packet))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("no installed key");
        }
        for (byte[] stream : capture.streams) {
            for (byte[] frame : frames(stream)) {
                assertThatThrownBy(() -> Encryption.decryptStream(wrong, frame))
                        .isInstanceOf(MalformedMessageException.class);
            }
        }
    }

    @Test
    void rightKeyInSecondPlaceStillDecrypts() throws Exception {
        Keyring rotated = Keyring.of(WRONG_KEY, ring.primaryKey());
        for (byte[] packet : capture.datagrams) {
            assertThat(Encryption.decryptPacket(rotated, packet))
                    .isEqualTo(Encryption.decryptPacket(ring, packet));
        }
        for (byte[] stream : capture.streams) {
            for (byte[] frame : frames(stream)) {
                assertThat(Encryption.decryptStream(rotated, frame))
                        .isEqualTo(Encryption.decryptStream(ring, frame));
            }
        }
    }

    @Test
    void everySingleBitFlipIsRejected() {
        byte[] packet = capture.datagrams.get(0);
        for (int bit = 0; bit < packet.length * 8; bit++) {
            byte[] flipped = packet.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> Encryption.decryptPacket(ring, flipped))
                    .as("bit %d", bit)
                    .isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void everyStreamBitFlipIsRejected() {
        // Covers the header too: it is the additional data, so a changed length cannot slip by.
        byte[] frame = frames(capture.streams.get(1)).get(0);
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] flipped = frame.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> Encryption.decryptStream(ring, flipped))
                    .as("bit %d", bit)
                    .isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void everyTruncationIsRejected() {
        for (byte[] packet : capture.datagrams) {
            for (int len = 0; len < packet.length; len++) {
                byte[] cut = Arrays.copyOf(packet, len);
                assertThatThrownBy(() -> Encryption.decryptPacket(ring, cut))
                        .isInstanceOf(MalformedMessageException.class);
            }
        }
        byte[] frame = frames(capture.streams.get(0)).get(0);
        for (int len = 0; len < frame.length; len++) {
            byte[] cut = Arrays.copyOf(frame, len);
            assertThatThrownBy(() -> Encryption.decryptStream(ring, cut))
                    .isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void streamFrameIsNotAPacketAndViceVersa() {
        byte[] frame = frames(capture.streams.get(0)).get(0);
        // Type byte 10 is read as encryption version 10.
        assertThatThrownBy(() -> Encryption.decryptPacket(ring, frame))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("unsupported encryption version 10");
        // The stream payload alone decrypts only with its header as additional data.
        byte[] payload = Arrays.copyOfRange(frame, 5, frame.length);
        assertThatThrownBy(() -> Encryption.decryptPacket(ring, payload))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> Encryption.decryptStream(ring, capture.datagrams.get(0)))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void unencryptedSerfTrafficIsRejected() {
        SerfCaptures plain = SerfCaptures.load("plain.json");
        assertThat(plain.datagrams).isNotEmpty();
        for (byte[] packet : plain.datagrams) {
            assertThatThrownBy(() -> Encryption.decryptPacket(ring, packet))
                    .isInstanceOf(MalformedMessageException.class);
        }
        for (byte[] stream : plain.streams) {
            assertThatThrownBy(() -> Encryption.decryptStream(ring, stream))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("is not 10");
        }
    }

    /** Splits one direction of a connection into its {@code [0x0a][L][L bytes]} frames. */
    private static List<byte[]> frames(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        while (off < stream.length) {
            int total;
            try {
                total = Encryption.streamFrameLength(stream, off, stream.length - off);
            } catch (MalformedMessageException e) {
                throw new AssertionError("bad frame at offset " + off, e);
            }
            assertThat(total).as("complete frame at offset %d", off).isPositive();
            assertThat(off + total).isLessThanOrEqualTo(stream.length);
            out.add(Arrays.copyOfRange(stream, off, off + total));
            off += total;
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return TestBytes.concat(a, b);
    }
}
