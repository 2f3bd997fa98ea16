package dev.gossip.core.security;

import dev.gossip.core.DropReason;
import dev.gossip.core.TestBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.core.wire.MalformedMessageException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips, layout (checked against plain JCE, not our own decoder) and rejection rules. */
class EncryptionTest {

    private static final byte[] KEY_A = key(32, 1);
    private static final byte[] KEY_B = key(16, 2);
    private static final byte[] KEY_C = key(24, 3);

    private final Keyring ring = Keyring.of(KEY_A);

    @Test
    void overheadIsVersionNonceAndTag() {
        assertThat(Encryption.overhead()).isEqualTo(1 + 12 + 16);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 100, 1400, 65_536})
    void packetRoundTrip(int length) throws Exception {
        byte[] plain = bytes(length, length);
        byte[] packet = Encryption.encryptPacket(ring, plain);
        assertThat(packet).hasSize(length + 29);
        assertThat(packet[0]).isEqualTo((byte) 1);
        assertThat(Encryption.decryptPacket(ring, packet)).isEqualTo(plain);
    }

    @Test
    void packetLayoutIsWhatGoExpects() throws Exception {
        byte[] plain = bytes(50, 7);
        byte[] packet = Encryption.encryptPacket(ring, plain);

        // The nonce is the 12 bytes right after the version byte.
        byte[] nonce = Arrays.copyOfRange(packet, 1, 13);

        // Decrypts with bare JCE, empty additional data: the format of security.go.
        assertThat(jceOpen(KEY_A, nonce, Arrays.copyOfRange(packet, 13, packet.length), new byte[0]))
                .isEqualTo(plain);
    }

    @Test
    void noncesAreFreshEvenForTheSamePlaintextOnOneThread() {
        byte[] plain = bytes(64, 9);
        java.util.Set<String> nonces = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            byte[] packet = Encryption.encryptPacket(ring, plain);
            byte[] stream = Encryption.encryptStream(ring, plain);
            nonces.add(java.util.HexFormat.of().formatHex(packet, 1, 13));
            nonces.add(java.util.HexFormat.of().formatHex(stream, 6, 18));
        }
        assertThat(nonces).hasSize(2000);
    }

    @Test
    void reusingANonceUnderOneKeyIsRefusedNotWorkedAround() {
        SecretKeySpec key = new SecretKeySpec(KEY_A, "AES");
        byte[] nonce = bytes(12, 5);
        GcmCiphers.forEncryption(key, nonce, 0);
        // The JDK's guard against nonce reuse must reach the caller.
        assertThatThrownBy(() -> GcmCiphers.forEncryption(key, nonce, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(java.security.InvalidAlgorithmParameterException.class);
    }

    @Test
    void encryptsWithThePrimaryKeyOnly() throws Exception {
        Keyring rotated = ring.withKey(KEY_B).withPrimary(KEY_B);
        byte[] packet = Encryption.encryptPacket(rotated, bytes(10, 1));

        assertThat(Encryption.decryptPacket(Keyring.of(KEY_B), packet)).isEqualTo(bytes(10, 1));
        assertThatThrownBy(() -> Encryption.decryptPacket(ring, packet))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("tried 1 key");
    }

    @Test
    void decryptsWithAnyKeyOnTheRing() throws Exception {
        Keyring three = Keyring.of(KEY_A, KEY_B, KEY_C);
        for (byte[] k : new byte[][] {KEY_A, KEY_B, KEY_C}) {
            byte[] packet = Encryption.encryptPacket(Keyring.of(k), bytes(33, k.length));
            assertThat(Encryption.decryptPacket(three, packet)).isEqualTo(bytes(33, k.length));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 100})
    void version0PacketWithPkcs7PaddingDecrypts(int length) throws Exception {
        byte[] plain = bytes(length, 3);
        byte[] packet = version0(KEY_A, pkcs7(plain), new byte[0]);
        assertThat(packet.length).isGreaterThanOrEqualTo(45);
        assertThat(Encryption.decryptPacket(Keyring.of(KEY_B, KEY_A), packet)).isEqualTo(plain);
    }

    @Test
    void version0StreamDecrypts() throws Exception {
        byte[] plain = bytes(40, 5);
        byte[] padded = pkcs7(plain);
        int encryptedLength = 1 + 12 + padded.length + 16;
        byte[] header = {10, 0, 0, 0, (byte) encryptedLength};
        byte[] frame = concat(header, version0(KEY_A, padded, header));
        assertThat(Encryption.decryptStream(ring, frame)).isEqualTo(plain);
    }

    @Test
    void version0WithBadPaddingIsRejected() throws Exception {
        byte[] zeroPad = new byte[16];                     // pad byte 0
        byte[] tooLong = new byte[16];
        tooLong[15] = 17;                                  // pad larger than a block
        byte[] mixed = pkcs7(bytes(12, 1));
        mixed[12] ^= 1;                                    // pad bytes disagree
        byte[] notBlock = Arrays.copyOf(pkcs7(bytes(20, 1)), 33); // not a 16-byte multiple
        notBlock[32] = 1;
        for (byte[] padded : new byte[][] {zeroPad, tooLong, mixed, notBlock}) {
            byte[] packet = version0(KEY_A, padded, new byte[0]);
            assertThatThrownBy(() -> Encryption.decryptPacket(ring, packet))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("PKCS#7");
        }
    }

    @Test
    void lengthAndVersionChecks() {
        byte[] v1 = Encryption.encryptPacket(ring, new byte[0]);
        assertThat(v1).hasSize(29);
        assertMalformed(Arrays.copyOf(v1, 28), "shorter than the 29-byte minimum");
        assertMalformed(new byte[0], "empty");
        byte[] v0 = new byte[44];
        assertMalformed(v0, "shorter than the 45-byte minimum for encryption version 0");
        byte[] v2 = v1.clone();
        v2[0] = 2;
        assertMalformed(v2, "unsupported encryption version 2");
        v2[0] = (byte) 0xff;
        assertMalformed(v2, "unsupported encryption version 255");
    }

    @Test
    void malformedReasonIsDecrypt() {
        assertThatThrownBy(() -> Encryption.decryptPacket(ring, new byte[] {1}))
                .isInstanceOfSatisfying(MalformedMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(DropReason.DECRYPT));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 245, 100_000})
    void streamRoundTrip(int length) throws Exception {
        byte[] plain = bytes(length, 11);
        byte[] frame = Encryption.encryptStream(ring, plain);
        int encryptedLength = length + 29;
        assertThat(frame).hasSize(5 + encryptedLength);
        assertThat(Arrays.copyOf(frame, 6)).containsExactly(10, (byte) (encryptedLength >>> 24),
                (byte) (encryptedLength >>> 16), (byte) (encryptedLength >>> 8), (byte) encryptedLength, 1);
        assertThat(Encryption.streamFrameLength(frame, 0, frame.length)).isEqualTo(frame.length);
        assertThat(Encryption.decryptStream(ring, frame)).isEqualTo(plain);
    }

    @Test
    void streamHeaderIsTheAdditionalData() throws Exception {
        byte[] plain = bytes(30, 4);
        byte[] frame = Encryption.encryptStream(ring, plain);
        byte[] opened = jceOpen(KEY_A, Arrays.copyOfRange(frame, 6, 18),
                Arrays.copyOfRange(frame, 18, frame.length), Arrays.copyOf(frame, 5));
        assertThat(opened).isEqualTo(plain);
    }

    @Test
    void streamLengthFieldMustMatchTheFrame() {
        byte[] frame = Encryption.encryptStream(ring, bytes(10, 1));
        assertThatThrownBy(() -> Encryption.decryptStream(ring, Arrays.copyOf(frame, frame.length + 1)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("length field says 39");
        assertThatThrownBy(() -> Encryption.decryptStream(ring, Arrays.copyOf(frame, frame.length - 1)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("length field says 39");
    }

    @Test
    void streamLengthOverTwentyMebibytesIsRefused() {
        byte[] header = {10, 0x01, 0x40, 0x00, 0x01}; // 20 MiB + 1
        assertThatThrownBy(() -> Encryption.streamFrameLength(header, 0, 5))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> Encryption.decryptStream(ring, header))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("exceeds");
        byte[] huge = {10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> Encryption.decryptStream(ring, huge))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("4294967295");
    }

    @Test
    void encryptStreamRefusesWhatPeersWouldRefuse() {
        byte[] tooBig = new byte[Encryption.MAX_STREAM_ENCRYPTED_LENGTH - 28];
        assertThatThrownBy(() -> Encryption.encryptStream(ring, tooBig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void streamFrameLengthForFramers() throws Exception {
        byte[] buf = {99, 10, 0, 0, 1, 0, 7};
        assertThat(Encryption.streamFrameLength(buf, 1, 0)).isEqualTo(-1);
        assertThat(Encryption.streamFrameLength(buf, 1, 4)).isEqualTo(-1);
        assertThat(Encryption.streamFrameLength(buf, 1, 6)).isEqualTo(5 + 256);
        assertThatThrownBy(() -> Encryption.streamFrameLength(buf, 0, 7))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("type 99");
    }

    @Test
    void decryptsConcurrentlyFromManyThreads() throws Exception {
        byte[][] packets = new byte[64][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = Encryption.encryptPacket(ring, bytes(i * 7, i));
        }
        Keyring two = Keyring.of(KEY_B, KEY_A);
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    for (int round = 0; round < 50; round++) {
                        for (int i = 0; i < packets.length; i++) {
                            assertThat(Encryption.decryptPacket(two, packets[i])).isEqualTo(bytes(i * 7, i));
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failure[0]).isNull();
    }

    private void assertMalformed(byte[] packet, String detail) {
        assertThatThrownBy(() -> Encryption.decryptPacket(ring, packet))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(detail);
    }

    /** A version 0 message as memberlist protocol 1 builds it: pad already applied by caller. */
    private static byte[] version0(byte[] key, byte[] padded, byte[] aad) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return concat(concat(new byte[] {0}, nonce), cipher.doFinal(padded));
    }

    /** PKCS#7 to a 16-byte multiple, always 1..16 pad bytes (security.go pkcs7encode). */
    private static byte[] pkcs7(byte[] plain) {
        int pad = 16 - plain.length % 16;
        byte[] out = Arrays.copyOf(plain, plain.length + pad);
        Arrays.fill(out, plain.length, out.length, (byte) pad);
        return out;
    }

    private static byte[] jceOpen(byte[] key, byte[] nonce, byte[] ctAndTag, byte[] aad) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(ctAndTag);
    }

    private static byte[] key(int length, int seed) {
        return bytes(length, 1000 + seed);
    }

    private static byte[] bytes(int length, int seed) {
        byte[] out = new byte[length];
        RandomGenerator random = new SplittableRandom(seed);
        random.nextBytes(out);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return TestBytes.concat(a, b);
    }
}
