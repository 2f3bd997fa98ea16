package dev.gossip.core.security;

import dev.gossip.core.DropReason;
import dev.gossip.core.wire.MalformedMessageException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * memberlist's AES-GCM encryption of packets and stream messages, byte-compatible with
 * {@code serf agent -encrypt=<key>} (memberlist 0.2.x {@code security.go}; wire-protocol
 * reference §3.5, §6.1, §6.4, §11 item 7). The keys come from a {@link Keyring}; the nonces
 * come from this class's own {@link SecureRandom}, never from a node's (possibly seeded)
 * generator, since a repeated nonce under one key breaks GCM. Simulations stay deterministic:
 * what a node does depends on the plaintext it decrypts, not on the nonce.
 *
 * <p>Encrypted message layout, {@code enc(P)}:
 * <pre>
 *   [version u8][nonce: 12 bytes][AES-GCM ciphertext of P || 16-byte tag]
 * </pre>
 * Version 1 (what serf sends, protocol ≥ 2) encrypts P as is. Version 0 (memberlist protocol 1)
 * encrypts P padded PKCS#7 to a 16-byte multiple; it is accepted, never produced.
 *
 * <ul>
 *   <li>UDP packet: {@code enc(P)} alone, additional data empty (0.2.x has no labels, §3.6).
 *   <li>TCP stream message: {@code [0x0a][L u32 BE][enc(P)]} with {@code L = len(enc(P))}; the
 *       5-byte header is the additional data, so the length cannot be altered undetected.
 * </ul>
 *
 * <p>Encryption uses the primary key; decryption tries every key in ring order, which is what
 * lets a cluster rotate keys without a flag day. Decryption never throws anything but
 * {@link MalformedMessageException} (reason {@code decrypt}) for any byte array, since its input
 * comes straight off the network.
 */
public final class Encryption {

    /** The reason of every {@link MalformedMessageException} thrown here (a metrics tag). */
    public static final DropReason REASON = DropReason.DECRYPT;

    /** memberlist {@code encryptMsg}: first byte of an encrypted stream message (§3.1, §6.4). */
    public static final byte STREAM_MESSAGE_TYPE = 10;

    /** {@code [0x0a][u32 length]}: the stream header, also the stream's additional data. */
    public static final int STREAM_HEADER_LENGTH = 5;

    /**
     * Largest accepted stream length field: memberlist's {@code maxPushStateBytes}, 20 MiB,
     * guarding against a peer that announces a huge push/pull (§6.1).
     */
    public static final int MAX_STREAM_ENCRYPTED_LENGTH = 20 * 1024 * 1024;

    static final int NONCE_SIZE = 12;
    private static final int VERSION_SIZE = 1;
    private static final int TAG_SIZE = 16;
    private static final int BLOCK_SIZE = 16;
    private static final int HEADER_SIZE = VERSION_SIZE + NONCE_SIZE;

    /** The version sent: serf speaks memberlist protocol 2+, which means version 1 (§3.5). */
    private static final byte SEND_VERSION = 1;

    /** Version 1 overhead: 1 + 12 + 16. */
    private static final int OVERHEAD_V1 = VERSION_SIZE + NONCE_SIZE + TAG_SIZE;

    /** Shortest version 0 message: an empty plaintext still gets a full pad block. */
    private static final int MIN_LENGTH_V0 = OVERHEAD_V1 + BLOCK_SIZE;

    private static final byte[] NO_AAD = new byte[0];
    /** Random 96-bit nonces, as memberlist draws them from crypto/rand (security.go:encryptPayload). */
    private static final SecureRandom NONCES = new SecureRandom();

    private Encryption() {
    }

    /**
     * Bytes encryption adds to a packet (29): subtract from the UDP budget when sizing gossip,
     * as memberlist does with {@code encryptOverhead} (§3.2 step 5).
     */
    public static int overhead() {
        return OVERHEAD_V1;
    }

    /**
     * Encrypts one UDP packet with the primary key: {@code [0x01][nonce][ciphertext||tag]},
     * {@code plaintext.length + 29} bytes.
     */
    public static byte[] encryptPacket(Keyring ring, byte[] plaintext) {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] out = new byte[OVERHEAD_V1 + plaintext.length];
        seal(ring.secretKeys()[0], plaintext, out, 0, NO_AAD, 0);
        return out;
    }

    /**
     * Decrypts one UDP packet (version 0 or 1) with the first key that authenticates it.
     *
     * @throws MalformedMessageException when the packet is too short for its version, has an
     *     unknown version, no key authenticates it, or its version 0 padding is invalid
     */
    public static byte[] decryptPacket(Keyring ring, byte[] packet) throws MalformedMessageException {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(packet, "packet");
        return open(ring, packet, 0, packet.length, NO_AAD, 0);
    }

    /**
     * Wraps a stream message (push/pull, TCP ping, user message; already compressed if
     * compression is on, §6.1 step 2) for an encrypted stream:
     * {@code [0x0a][u32 BE L][0x01][nonce][ciphertext||tag]}, the first 5 bytes authenticated.
     *
     * @throws IllegalArgumentException if L would exceed {@link #MAX_STREAM_ENCRYPTED_LENGTH},
     *     which every memberlist peer would refuse
     */
    public static byte[] encryptStream(Keyring ring, byte[] plaintext) {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(plaintext, "plaintext");
        if (plaintext.length > MAX_STREAM_ENCRYPTED_LENGTH - OVERHEAD_V1) {
            throw new IllegalArgumentException("Stream message of " + plaintext.length
                    + " bytes exceeds the " + MAX_STREAM_ENCRYPTED_LENGTH
                    + "-byte limit peers accept once encrypted");
        }
        int encryptedLength = OVERHEAD_V1 + plaintext.length;
        byte[] out = new byte[STREAM_HEADER_LENGTH + encryptedLength];
        out[0] = STREAM_MESSAGE_TYPE;
        out[1] = (byte) (encryptedLength >>> 24);
        out[2] = (byte) (encryptedLength >>> 16);
        out[3] = (byte) (encryptedLength >>> 8);
        out[4] = (byte) encryptedLength;
        seal(ring.secretKeys()[0], plaintext, out, STREAM_HEADER_LENGTH,
                out, STREAM_HEADER_LENGTH);
        return out;
    }

    /**
     * Decrypts one whole encrypted stream message, header included: {@code frame} must be
     * exactly {@code 5 + L} bytes (use {@link #streamFrameLength} to find where it ends).
     *
     * @throws MalformedMessageException when the first byte is not 10, the length field is over
     *     the limit or disagrees with the array, or the payload does not decrypt
     */
    public static byte[] decryptStream(Keyring ring, byte[] frame) throws MalformedMessageException {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(frame, "frame");
        long length = streamLengthField(frame, 0, frame.length);
        if (length < 0) {
            throw malformed("stream frame of " + frame.length + " bytes is shorter than its "
                    + STREAM_HEADER_LENGTH + "-byte header");
        }
        if (length != frame.length - STREAM_HEADER_LENGTH) {
            throw malformed("stream length field says " + length + " encrypted bytes but "
                    + (frame.length - STREAM_HEADER_LENGTH) + " follow the header");
        }
        return open(ring, frame, STREAM_HEADER_LENGTH, (int) length, frame, STREAM_HEADER_LENGTH);
    }

    /**
     * For stream framers: the total length ({@code 5 + L}) of the encrypted stream message
     * starting at {@code buf[off]}, or {@code -1} if fewer than 5 bytes are available yet.
     *
     * @throws MalformedMessageException if the first byte is not 10 or L exceeds the limit
     */
    public static int streamFrameLength(byte[] buf, int off, int len) throws MalformedMessageException {
        Objects.checkFromIndexSize(off, len, buf.length);
        long length = streamLengthField(buf, off, len);
        return length < 0 ? -1 : STREAM_HEADER_LENGTH + (int) length;
    }

    /** The header's L, validated against the type byte and limit; -1 if the header is short. */
    private static long streamLengthField(byte[] buf, int off, int len)
            throws MalformedMessageException {
        if (len >= 1 && buf[off] != STREAM_MESSAGE_TYPE) {
            throw malformed("stream message type " + (buf[off] & 0xff) + " is not "
                    + STREAM_MESSAGE_TYPE + " (encrypted)");
        }
        if (len < STREAM_HEADER_LENGTH) {
            return -1;
        }
        long length = ((buf[off + 1] & 0xffL) << 24) | ((buf[off + 2] & 0xff) << 16)
                | ((buf[off + 3] & 0xff) << 8) | (buf[off + 4] & 0xff);
        if (length > MAX_STREAM_ENCRYPTED_LENGTH) {
            throw malformed("stream length field " + length + " exceeds the "
                    + MAX_STREAM_ENCRYPTED_LENGTH + "-byte limit");
        }
        return length;
    }

    /**
     * Writes {@code [version][nonce][ct||tag]} for {@code plaintext} at {@code out[outOff]},
     * authenticating {@code aad[0, aadLen)}.
     */
    private static void seal(SecretKeySpec key, byte[] plaintext, byte[] out, int outOff, byte[] aad, int aadLen) {
        byte[] nonce = new byte[NONCE_SIZE];
        NONCES.nextBytes(nonce);
        out[outOff] = SEND_VERSION;
        System.arraycopy(nonce, 0, out, outOff + VERSION_SIZE, NONCE_SIZE);
        Cipher cipher = GcmCiphers.forEncryption(key, nonce, 0);
        try {
            if (aadLen > 0) {
                cipher.updateAAD(aad, 0, aadLen);
            }
            cipher.doFinal(plaintext, 0, plaintext.length, out, outOff + HEADER_SIZE);
        } catch (GeneralSecurityException e) {
            // The output array is sized exactly; failing here is a JVM crypto problem.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts {@code buf[off, off+len)} = {@code [version][nonce][ct||tag]}, trying each key in
     * ring order, with {@code aad[0, aadLen)} as additional data; strips version 0 padding.
     */
    private static byte[] open(Keyring ring, byte[] buf, int off, int len, byte[] aad, int aadLen)
            throws MalformedMessageException {
        if (len == 0) {
            throw malformed("cannot decrypt an empty payload");
        }
        int version = buf[off] & 0xff;
        if (version > 1) {
            throw malformed("unsupported encryption version " + version + " (expected 0 or 1)");
        }
        // memberlist's encryptedLength(vsn, 0): 29 for v1, 45 for v0 (the pad is never empty).
        int minimum = version == 0 ? MIN_LENGTH_V0 : OVERHEAD_V1;
        if (len < minimum) {
            throw malformed("payload of " + len + " bytes is shorter than the " + minimum
                    + "-byte minimum for encryption version " + version);
        }
        SecretKeySpec[] keys = ring.secretKeys();
        for (SecretKeySpec key : keys) {
            byte[] plain = tryKey(key, buf, off, len, aad, aadLen);
            if (plain != null) {
                return version == 0 ? stripPkcs7(plain) : plain;
            }
        }
        throw malformed("no installed key could decrypt the message (tried " + keys.length
                + (keys.length == 1 ? " key)" : " keys)"));
    }

    /** The plaintext if {@code key} authenticates the message, else null. */
    private static byte[] tryKey(SecretKeySpec key, byte[] buf, int off, int len, byte[] aad,
                                 int aadLen) {
        Cipher cipher = GcmCiphers.forDecryption(key, buf, off + VERSION_SIZE);
        try {
            if (aadLen > 0) {
                cipher.updateAAD(aad, 0, aadLen);
            }
            return cipher.doFinal(buf, off + HEADER_SIZE, len - HEADER_SIZE);
        } catch (GeneralSecurityException wrongKeyOrTampered) {
            // AEADBadTagException in practice: this key did not produce the message.
            return null;
        }
    }

    /**
     * Removes version 0's PKCS#7 pad. memberlist's decoder just drops the last byte's count of
     * bytes; this one also checks the pad is well formed, since every Go sender's is and a bad
     * one (or a count past the start) means the sender is broken.
     */
    private static byte[] stripPkcs7(byte[] padded) throws MalformedMessageException {
        int n = padded.length;
        int pad = padded[n - 1] & 0xff;
        if (n % BLOCK_SIZE != 0 || pad < 1 || pad > BLOCK_SIZE || pad > n) {
            throw malformed("invalid PKCS#7 padding in a version 0 message (length " + n
                    + ", pad " + pad + ")");
        }
        for (int i = n - pad; i < n - 1; i++) {
            if ((padded[i] & 0xff) != pad) {
                throw malformed("invalid PKCS#7 padding in a version 0 message");
            }
        }
        return Arrays.copyOf(padded, n - pad);
    }

    private static MalformedMessageException malformed(String detail) {
        return new MalformedMessageException(REASON, detail);
    }
}
