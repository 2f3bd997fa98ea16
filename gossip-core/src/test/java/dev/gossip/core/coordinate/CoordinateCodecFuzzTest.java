package dev.gossip.core.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gossip.core.wire.MalformedMessageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Hostile ack payloads: whatever a peer sends, {@link CoordinateCodec#decode} either returns a
 * coordinate or throws {@link MalformedMessageException}, never anything else (an uncaught
 * exception on the receive path would kill the node's executor task). Seeded, so a failure
 * reproduces; the failing input is printed in hex.
 */
class CoordinateCodecFuzzTest {

    private static final int CASES = 120_000;
    private static final long SEED = 0x5eed_c00dL;

    private static final String[] KEYS = {"Adjustment", "Error", "Height", "Vec", "SeqNo", ""};

    /** Length and type bytes that make parsers allocate or skip (map32, str32, bin32, ext32...). */
    private static final int[] NASTY_BYTES = {0xc0, 0xc1, 0xc4, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcf,
        0xd3, 0xd4, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0x9f, 0x8f, 0xbf, 0xff, 0x00,
        0x7f, 0x80};

    private final SplittableRandom random = new SplittableRandom(SEED);

    private final List<byte[]> seeds = List.of(
            HexFormat.of().parseHex(CoordinateCodecTest.ALPHA_ACK_SEQ_1),
            HexFormat.of().parseHex(CoordinateCodecTest.BETA_ACK_SEQ_12),
            HexFormat.of().parseHex(CoordinateCodecTest.ALPHA_ACK_IN_COMPOUND),
            HexFormat.of().parseHex(CoordinateCodecTest.FRESH_NODE_ACK));

    @Test
    void randomAndMutatedPayloadsOnlyEverFailAsMalformed() {
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] input = switch (i % 4) {
                case 0 -> mutate(seeds.get(random.nextInt(seeds.size())));
                case 1 -> mutate(randomStructure());
                case 2 -> randomStructure();
                default -> randomBytes();
            };
            if (decodeSafely(i, input)) {
                accepted++;
            } else {
                rejected++;
            }
        }

        // Both outcomes must be common, or the generator is not reaching the parser's depths.
        assertThat(accepted).as("accepted inputs").isGreaterThan(CASES / 20);
        assertThat(rejected).as("rejected inputs").isGreaterThan(CASES / 20);
    }

    /** True if decoded; false if rejected as malformed; fails the test on anything else. */
    private static boolean decodeSafely(int caseNumber, byte[] input) {
        Coordinate decoded;
        try {
            decoded = CoordinateCodec.decode(input);
        } catch (MalformedMessageException e) {
            assertThat(e.reason()).isNotNull();
            return false;
        } catch (Throwable t) {
            fail("case " + caseNumber + ": " + t + " for input " + HexFormat.of().formatHex(input),
                    t);
            return false;
        }
        // Whatever we accepted, we can send back and read again unchanged.
        assertThat(decoded.dimensionality()).isLessThanOrEqualTo(CoordinateCodec.MAX_DIMENSIONS);
        try {
            assertThat(CoordinateCodec.decode(CoordinateCodec.encode(decoded)))
                    .as("case %d round trip", caseNumber).isEqualTo(decoded);
        } catch (MalformedMessageException e) {
            fail("case " + caseNumber + ": re-encoded coordinate rejected: " + e);
        }
        return true;
    }

    /** A few random edits: flips, overwrites with nasty bytes, inserts, deletes, truncation. */
    private byte[] mutate(byte[] original) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            // Mostly keep the version byte so the msgpack parser gets exercised.
            int pos = b.length == 1 ? 0 : 1 + random.nextInt(b.length - 1);
            switch (random.nextInt(6)) {
                case 0 -> b[pos] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[pos] = (byte) NASTY_BYTES[random.nextInt(NASTY_BYTES.length)];
                case 2 -> b[pos] = (byte) random.nextInt(256);
                case 3 -> b = insert(b, pos, (byte) random.nextInt(256));
                case 4 -> b = delete(b, pos);
                default -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            }
        }
        if (b.length > 0 && random.nextInt(50) == 0) {
            b[0] = (byte) random.nextInt(256);
        }
        return b;
    }

    /** A well-formed msgpack value shaped roughly like a coordinate, with random types inside. */
    private byte[] randomStructure() {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.writePayload(new byte[] {CoordinateCodec.PING_VERSION});
            if (random.nextInt(10) == 0) {
                randomValue(p, 3);
                return p.toByteArray();
            }
            int entries = random.nextInt(7);
            p.packMapHeader(entries);
            for (int i = 0; i < entries; i++) {
                String key = KEYS[random.nextInt(KEYS.length)];
                p.packString(key);
                if (key.equals("Vec") && random.nextBoolean()) {
                    int n = random.nextInt(10) == 0 ? 60 + random.nextInt(10) : random.nextInt(10);
                    p.packArrayHeader(n);
                    for (int j = 0; j < n; j++) {
                        randomNumber(p);
                    }
                } else if (random.nextInt(3) > 0) {
                    randomNumber(p);
                } else {
                    randomValue(p, 2);
                }
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void randomNumber(MessagePacker p) throws IOException {
        switch (random.nextInt(6)) {
            case 0 -> p.packDouble(random.nextDouble() - 0.5);
            case 1 -> p.packFloat((float) random.nextDouble());
            case 2 -> p.packLong(random.nextLong());
            case 3 -> p.packInt(random.nextInt(256) - 128);
            case 4 -> p.packNil();
            default -> p.packDouble(Double.longBitsToDouble(random.nextLong()));
        }
    }

    private void randomValue(MessagePacker p, int depth) throws IOException {
        int kind = random.nextInt(depth > 0 ? 9 : 7);
        switch (kind) {
            case 0 -> randomNumber(p);
            case 1 -> p.packBoolean(random.nextBoolean());
            case 2 -> p.packString("s".repeat(random.nextInt(40)));
            case 3 -> p.packBinaryHeader(2).writePayload(new byte[] {1, 2});
            case 4 -> p.packExtensionTypeHeader((byte) random.nextInt(128), 1).writePayload(
                    new byte[] {9});
            case 5 -> p.packNil();
            case 6 -> p.packBigInteger(BigInteger.valueOf(random.nextLong()).abs()
                    .shiftLeft(1));
            case 7 -> {
                int n = random.nextInt(4);
                p.packArrayHeader(n);
                for (int i = 0; i < n; i++) {
                    randomValue(p, depth - 1);
                }
            }
            default -> {
                int n = random.nextInt(3);
                p.packMapHeader(n);
                for (int i = 0; i < n; i++) {
                    randomValue(p, depth - 1);
                    randomValue(p, depth - 1);
                }
            }
        }
    }

    /** Noise, usually after a valid version byte and often after a map header. */
    private byte[] randomBytes() {
        byte[] b = new byte[random.nextInt(160)];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextInt(4) == 0
                    ? (byte) NASTY_BYTES[random.nextInt(NASTY_BYTES.length)]
                    : (byte) random.nextInt(256);
        }
        if (b.length > 0 && random.nextInt(8) != 0) {
            b[0] = CoordinateCodec.PING_VERSION;
        }
        if (b.length > 1 && random.nextBoolean()) {
            b[1] = (byte) (0x80 | random.nextInt(16));
        }
        return b;
    }

    private static byte[] insert(byte[] b, int pos, byte value) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, pos);
        out[pos] = value;
        System.arraycopy(b, pos, out, pos + 1, b.length - pos);
        return out;
    }

    private static byte[] delete(byte[] b, int pos) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, pos);
        System.arraycopy(b, pos + 1, out, pos, b.length - pos - 1);
        return out;
    }
}
