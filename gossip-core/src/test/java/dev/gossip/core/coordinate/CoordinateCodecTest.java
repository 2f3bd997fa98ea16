package dev.gossip.core.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gossip.core.DropReason;
import com.sun.management.ThreadMXBean;
import dev.gossip.core.wire.MalformedMessageException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/** The ack payload codec against real Serf bytes and hand-made edge cases (doc §7.6, §2). */
class CoordinateCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    /** What Go decodes from an empty map: all zero values and a nil Vec. */
    private static final Coordinate EMPTY = new Coordinate(new double[0], 0, 0, 0);

    /*
     * Ack payloads copied from /work/shared/testdata/serf-captures/plain.json (two Debian serf
     * 0.9.4 agents on loopback): the str16 "Payload" value of uncompressed ackResp (type 2)
     * messages.
     */

    /** Datagram at t=0.9971 s, alpha (127.0.0.1:7946) to beta, SeqNo 1: plain ackResp. */
    static final String ALPHA_ACK_SEQ_1 = ""
            + "0184aa41646a7573746d656e74cb3ee72d4e59e4a9b7a54572726f72cb3ff6ec"
            + "80da7cc8d6a6486569676874cb3ee4f8b588e368f1a356656398cbbefd67ce8c"
            + "c4de52cbbef87a8481e2b341cbbebc22f1d99818b5cb3efaa29cb406d8a8cbbf"
            + "00c43784293927cb3eea5a623c75d893cb3ef5791f443ab56acbbef53386b899"
            + "cfbe";

    /** Datagram at t=19.9958 s, beta to alpha, SeqNo 12: a negative adjustment. */
    static final String BETA_ACK_SEQ_12 = ""
            + "0184aa41646a7573746d656e74cbbeac3f604d917ec0a54572726f72cb3fece5"
            + "a079eb2cfea6486569676874cb3ee4f8b588e368f1a356656398cbbf0d2f05a5"
            + "f765a1cbbf084b3f460fe307cbbecbec9c49a20c7ecb3f0a6f2d52be3357cbbf"
            + "10a3d6d7b60a61cb3efa277e560105fbcb3f054fa7cec5ff07cbbf050a95a891"
            + "0133";

    /** Datagram at t=20.9977 s, alpha to beta, SeqNo 12: the ack inside a compound (type 7). */
    static final String ALPHA_ACK_IN_COMPOUND = ""
            + "0184aa41646a7573746d656e74cb3f1c755d67cbfbbea54572726f72cb3fe778"
            + "009d5f4551a6486569676874cb3f236bc8b19af1a5a356656398cbbf2dae6280"
            + "ab6c18cbbf28b54529831498cbbeec667a14c6ff94cb3f2ae28a795c3571cbbf"
            + "30ec7587be626bcb3f1a99a2a5af685dcb3f25aca93f73d35fcbbf256669a93c"
            + "7474";

    /** What a fresh node sends: Adjustment 0, Error 1.5, Height 1e-5, eight zeros. */
    static final String FRESH_NODE_ACK = "0184"
            + "aa41646a7573746d656e74" + "cb0000000000000000"
            + "a54572726f72" + "cb3ff8000000000000"
            + "a6486569676874" + "cb3ee4f8b588e368f1"
            + "a3566563" + "98" + "cb0000000000000000".repeat(8);

    @Test
    void freshNodeEncodesToTheBytesSerfSends() throws Exception {
        byte[] encoded = CoordinateCodec.encode(Coordinate.origin(CoordinateConfig.defaults()));

        assertThat(HEX.formatHex(encoded)).isEqualTo(FRESH_NODE_ACK);
        assertThat(encoded).hasSize(130); // Serf's ack carries it as str16 "da 0082"
        assertThat(CoordinateCodec.decode(encoded))
                .isEqualTo(Coordinate.origin(CoordinateConfig.defaults()));
    }

    @Test
    void decodesAlphasCapturedAckAndReEncodesItByteForByte() throws Exception {
        Coordinate c = decodeAndCheckReEncoding(ALPHA_ACK_SEQ_1);

        assertThat(c.adjustment()).isEqualTo(1.105164375e-05);
        assertThat(c.error()).isEqualTo(1.4327400717416388);
        assertThat(c.height()).isEqualTo(1.0e-5);
        assertThat(c.vec()).containsExactly(-2.8043265772852086e-05, -2.334459724611109e-05,
                -1.6770662568679278e-06, 2.5401309587024537e-05, -3.197950765764157e-05,
                1.2566118938944325e-05, 2.0478375758405642e-05, -2.021911089973549e-05);
        assertThat(c.isValid()).isTrue();
    }

    @Test
    void decodesBetasCapturedAckWithANegativeAdjustment() throws Exception {
        Coordinate c = decodeAndCheckReEncoding(BETA_ACK_SEQ_12);

        assertThat(c.adjustment()).isEqualTo(-8.418429856653026e-07);
        assertThat(c.error()).isEqualTo(0.9030306225990044);
        assertThat(c.height()).isEqualTo(1.0e-5);
        assertThat(c.vec()).containsExactly(-5.566345202696476e-05, -4.633700223872187e-05,
                -3.328831167216628e-06, 5.04193979785408e-05, -6.347655101105735e-05,
                2.4942656978282543e-05, 4.0647801003322304e-05, -4.0133182729553545e-05);
    }

    @Test
    void decodesTheAckThatRodeInACompound() throws Exception {
        Coordinate c = decodeAndCheckReEncoding(ALPHA_ACK_IN_COMPOUND);

        assertThat(c.adjustment()).isEqualTo(0.00010856039621030732);
        assertThat(c.error()).isEqualTo(0.7333987306284745);
        assertThat(c.height()).isEqualTo(0.0001481707084191156);
        assertThat(c.vec()).containsExactly(-0.000226449512715416, -0.00018850774063686594,
                -1.3542318492265432e-05, 0.00020511570317475637, -0.00025823468581046585,
                0.00010147147388242643, 0.00016536298765115317, -0.00016326942260827852);
    }

    @Test
    void capturedCoordinateIsUsableByTheClient() throws Exception {
        CoordinateClient client = new CoordinateClient(CoordinateConfig.defaults(),
                CoordinateTest.NO_RANDOMNESS);
        Coordinate peer = CoordinateCodec.decode(HEX.parseHex(ALPHA_ACK_IN_COMPOUND));

        Coordinate updated = client.update("alpha", peer, Duration.ofNanos(250_000));

        assertThat(updated.isValid()).isTrue();
        assertThat(updated).isNotEqualTo(Coordinate.origin(CoordinateConfig.defaults()));
    }

    @Test
    void anyCoordinateSurvivesARoundTripBitForBit() throws Exception {
        Coordinate[] samples = {
            new Coordinate(new double[0], 0, 0, 0),
            new Coordinate(new double[] {-0.0, Double.MIN_VALUE, -Double.MAX_VALUE}, 1, -1, 2),
            new Coordinate(new double[] {Double.NaN}, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, Double.NaN),
            new Coordinate(new double[CoordinateCodec.MAX_DIMENSIONS], 0.5, 0.25, 0.125),
        };
        for (Coordinate c : samples) {
            assertThat(CoordinateCodec.decode(CoordinateCodec.encode(c))).isEqualTo(c);
        }
    }

    @Test
    void keysMayComeInAnyOrderAndUnknownKeysAreSkipped() throws Exception {
        byte[] payload = payload(p -> {
            p.packMapHeader(6);
            key(p, "Vec").packArrayHeader(2).packDouble(1.0).packDouble(2.0);
            key(p, "Future").packMapHeader(1).packString("x").packArrayHeader(1).packNil();
            key(p, "Height").packDouble(0.25);
            key(p, "Error").packDouble(0.5);
            key(p, "error").packString("keys are case-sensitive, as in Go");
            key(p, "Adjustment").packDouble(-0.125);
        });

        assertThat(CoordinateCodec.decode(payload))
                .isEqualTo(new Coordinate(new double[] {1.0, 2.0}, 0.5, -0.125, 0.25));
    }

    @Test
    void missingKeysAreZeroAndAMissingVecIsEmpty() throws Exception {
        byte[] payload = payload(p -> p.packMapHeader(0));

        Coordinate c = CoordinateCodec.decode(payload);

        assertThat(c).isEqualTo(EMPTY);
        assertThat(c.isCompatibleWith(Coordinate.origin(CoordinateConfig.defaults()))).isFalse();
    }

    @Test
    void integersFloat32AndNilAreAcceptedWhereFloatsAreExpected() throws Exception {
        byte[] payload = payload(p -> {
            p.packMapHeader(4);
            key(p, "Adjustment").packInt(-1);
            key(p, "Error").packBigInteger(new BigInteger("18446744073709551615"));
            key(p, "Height").packFloat(0.5f);
            key(p, "Vec").packArrayHeader(4).packInt(300).packNil().packFloat(0.25f)
                    .packLong(Long.MIN_VALUE);
        });

        assertThat(CoordinateCodec.decode(payload)).isEqualTo(new Coordinate(
                new double[] {300.0, 0.0, 0.25, -9.223372036854775808E18},
                1.8446744073709552E19, -1.0, 0.5));
    }

    @Test
    void nilVecAndNilFieldsDecodeAsGoZeroValues() throws Exception {
        byte[] payload = payload(p -> {
            p.packMapHeader(2);
            key(p, "Vec").packNil();
            key(p, "Error").packNil();
        });

        assertThat(CoordinateCodec.decode(payload)).isEqualTo(EMPTY);
    }

    @Test
    void binAndStr8KeysAreAcceptedLikeGoDoes() throws Exception {
        byte[] errorKey = "Error".getBytes(StandardCharsets.US_ASCII);
        byte[] payload = payload(p -> {
            p.packMapHeader(2);
            p.packBinaryHeader(errorKey.length).writePayload(errorKey);
            p.packDouble(0.75);
            // Default packer config writes str8 (0xd9) for this 40-byte key.
            p.packString("an unknown key long enough to need str8!").packDouble(1.0);
        });

        assertThat(CoordinateCodec.decode(payload).error()).isEqualTo(0.75);
        assertThat(payload).contains((byte) 0xd9);
    }

    @Test
    void bytesAfterTheMapAreIgnoredLikeGoDoes() throws Exception {
        byte[] fresh = HEX.parseHex(FRESH_NODE_ACK);
        byte[] withTail = Arrays.copyOf(fresh, fresh.length + 3);

        assertThat(CoordinateCodec.decode(withTail))
                .isEqualTo(Coordinate.origin(CoordinateConfig.defaults()));
    }

    @Test
    void emptyPayloadAndOtherPingVersionsAreRejected() {
        assertMalformed(null, DropReason.ACK_PAYLOAD_EMPTY);
        assertMalformed(new byte[0], DropReason.ACK_PAYLOAD_EMPTY);
        for (int version : new int[] {0, 2, 0xff}) {
            byte[] payload = HEX.parseHex(FRESH_NODE_ACK);
            payload[0] = (byte) version;
            assertMalformed(payload, DropReason.PING_VERSION);
        }
    }

    @Test
    void everyTruncationOfAValidPayloadIsRejected() {
        byte[] full = HEX.parseHex(ALPHA_ACK_SEQ_1);
        for (int length = 1; length < full.length; length++) {
            assertMalformed(Arrays.copyOf(full, length), DropReason.COORDINATE_FORMAT);
        }
    }

    @Test
    void wrongShapesAreRejected() throws Exception {
        assertMalformed(payload(p -> p.packArrayHeader(4)), DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> p.packNil()), DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> p.packInt(7)), DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> p.packMapHeader(1).packInt(1).packDouble(1.0)),
                DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> key(p.packMapHeader(1), "Error").packString("1.5")),
                DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> key(p.packMapHeader(1), "Height").packBoolean(true)),
                DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> key(p.packMapHeader(1), "Vec").packMapHeader(0)),
                DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> key(p.packMapHeader(1), "Vec").packString("abc")),
                DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> key(p.packMapHeader(1), "Vec").packArrayHeader(1)
                .packString("x")), DropReason.COORDINATE_FORMAT);
        assertMalformed(payload(p -> key(p.packMapHeader(1), "Vec")
                .packArrayHeader(CoordinateCodec.MAX_DIMENSIONS + 1)), DropReason.COORDINATE_TOO_LARGE);
    }

    @Test
    void lengthsThatClaimMoreThanThereIsAreRejectedWithoutAllocating() {
        // map32 with 2^32-1 entries, str32 key of 2^31-1 bytes, array32 of 2^32-1 doubles.
        assertMalformed(HEX.parseHex("01dfffffffff"), DropReason.COORDINATE_FORMAT);
        assertMalformed(HEX.parseHex("0181db7fffffff"), DropReason.COORDINATE_FORMAT);
        assertMalformed(HEX.parseHex("0181dbffffffff"), DropReason.COORDINATE_FORMAT);
        assertMalformed(HEX.parseHex("0181c67fffffff00"), DropReason.COORDINATE_FORMAT);
        assertMalformed(HEX.parseHex("0181a3566563ddffffffff"), DropReason.COORDINATE_FORMAT);
        assertMalformed(HEX.parseHex("0181a3566563dd00000041"), DropReason.COORDINATE_TOO_LARGE);
        // An unknown key whose value is a 2 GiB ext/bin/str: skipped, then truncated.
        assertMalformed(HEX.parseHex("0181a158c97fffffff01"), DropReason.COORDINATE_FORMAT);
        assertMalformed(HEX.parseHex("0181a158c67fffffff"), DropReason.COORDINATE_FORMAT);
    }

    @Test
    void hugeClaimedLengthsCostAlmostNoMemory() {
        // HotSpot's per-thread allocation counter; skipped on JVMs without it.
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof ThreadMXBean,
                "allocation counter available");
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(thread);
        for (String hex : new String[] {"0181db7fffffff", "0181c67fffffff00", "0181c5ffff",
                "0181a158c97fffffff01", "0181a3566563dc0040"}) {
            try {
                CoordinateCodec.decode(HEX.parseHex(hex));
            } catch (MalformedMessageException expected) {
                // the point is what it cost
            }
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes allocated decoding five hostile headers")
                .isLessThan(1 << 20);
    }

    @Test
    void deeplyNestedUnknownValuesAreSkippedWithoutRecursion() throws Exception {
        int depth = 200_000;
        byte[] payload = new byte[4 + depth + 1];
        System.arraycopy(HEX.parseHex("0181a158"), 0, payload, 0, 4); // {"X": [[[...nil...]]]}
        Arrays.fill(payload, 4, 4 + depth, (byte) 0x91);
        payload[4 + depth] = (byte) 0xc0;

        assertThat(CoordinateCodec.decode(payload)).isEqualTo(EMPTY);
    }

    private static Coordinate decodeAndCheckReEncoding(String hex) throws Exception {
        byte[] payload = HEX.parseHex(hex);
        Coordinate c = CoordinateCodec.decode(payload);
        assertThat(HEX.formatHex(CoordinateCodec.encode(c))).as("re-encoded").isEqualTo(hex);
        return c;
    }

    static void assertMalformed(byte[] payload, DropReason reason) {
        assertThatThrownBy(() -> CoordinateCodec.decode(payload))
                .as("payload %s", payload == null ? null : HEX.formatHex(payload))
                .isInstanceOfSatisfying(MalformedMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    /** Writes the body with a default packer (str8 allowed) after the ping version byte. */
    private static byte[] payload(Body body) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.writePayload(new byte[] {CoordinateCodec.PING_VERSION});
            body.write(p);
            return p.toByteArray();
        }
    }

    private static MessagePacker key(MessagePacker p, String key) throws IOException {
        p.packString(key);
        return p;
    }

    private interface Body {
        void write(MessagePacker p) throws IOException;
    }
}
