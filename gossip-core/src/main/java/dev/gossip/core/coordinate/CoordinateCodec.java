package dev.gossip.core.coordinate;

import dev.gossip.core.DropReason;
import dev.gossip.core.wire.MalformedMessageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The memberlist ack payload Serf's ping delegate sends: {@code [0x01 ping version]} followed by
 * the coordinate as a msgpack map {@code {Adjustment, Error, Height, Vec}} (protocol doc §7.6,
 * msgpack rules in §2). Encoding is byte-identical to Go's: keys sorted, raw-string keys, every
 * float as float64 ({@code 0xcb}).
 *
 * <p>Decoding accepts what Go's decoder accepts (any key order, unknown keys, missing keys as
 * zero, ints or float32 for floats, nil for zero) and nothing else; it does not check that the
 * values are finite, which {@link CoordinateClient#update} does.
 */
public final class CoordinateCodec {

    /** Serf's {@code PingVersion}: the header byte of the ack payload. */
    public static final byte PING_VERSION = 1;

    /** Longest {@code Vec} accepted. Serf uses 8; the bound caps what a peer makes us allocate. */
    public static final int MAX_DIMENSIONS = 64;

    // Go emits struct fields sorted by name; keep that order so our acks match Serf's bytes.
    private static final byte[] ADJUSTMENT = ascii("Adjustment");
    private static final byte[] ERROR = ascii("Error");
    private static final byte[] HEIGHT = ascii("Height");
    private static final byte[] VEC = ascii("Vec");

    /**
     * An 8-dimensional coordinate encodes to 127 bytes; msgpack-core's default 8 KiB buffer per
     * encode (one for every ping a node answers) made this allocation a hot spot of big clusters.
     */
    private static final MessagePack.PackerConfig PACKER_CONFIG =
            new MessagePack.PackerConfig().withStr8FormatSupport(false).withBufferSize(160);

    private CoordinateCodec() {
    }

    /**
     * The ack payload announcing {@code coordinate}. Dimensionalities above
     * {@link #MAX_DIMENSIONS} encode, but no decoder of ours would accept them.
     */
    public static byte[] encode(Coordinate coordinate) {
        try (MessageBufferPacker packer = PACKER_CONFIG.newBufferPacker()) {
            packer.writePayload(new byte[] {PING_VERSION});
            packer.packMapHeader(4);
            packKey(packer, ADJUSTMENT);
            packer.packDouble(coordinate.adjustment());
            packKey(packer, ERROR);
            packer.packDouble(coordinate.error());
            packKey(packer, HEIGHT);
            packer.packDouble(coordinate.height());
            packKey(packer, VEC);
            double[] vec = coordinate.vec();
            packer.packArrayHeader(vec.length);
            for (double v : vec) {
                packer.packDouble(v);
            }
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory packer failed", e); // cannot happen
        }
    }

    /**
     * Reads the coordinate from an ack payload. Serf ignores empty payloads before getting here;
     * callers should too.
     *
     * @throws MalformedMessageException for a wrong version byte or anything that is not a
     *     coordinate map; never any other exception, whatever the bytes
     */
    public static Coordinate decode(byte[] payload) throws MalformedMessageException {
        if (payload == null || payload.length == 0) {
            throw new MalformedMessageException(DropReason.ACK_PAYLOAD_EMPTY, "no ping version byte");
        }
        if (payload[0] != PING_VERSION) {
            throw new MalformedMessageException(DropReason.PING_VERSION,
                    "unsupported ping version " + (payload[0] & 0xff));
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(payload, 1,
                payload.length - 1)) {
            return new Reader(unpacker, payload.length - 1).readCoordinate();
        } catch (IOException | MessagePackException e) {
            // Truncated input, a length that does not fit in an int, invalid format bytes.
            String detail = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new MalformedMessageException(DropReason.COORDINATE_FORMAT, detail);
        }
    }

    private static void packKey(MessagePacker packer, byte[] key) throws IOException {
        packer.packRawStringHeader(key.length);
        packer.writePayload(key);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** One decoding pass over untrusted bytes. */
    private static final class Reader {

        private final MessageUnpacker unpacker;
        private final long inputLength;

        Reader(MessageUnpacker unpacker, long inputLength) {
            this.unpacker = unpacker;
            this.inputLength = inputLength;
        }

        Coordinate readCoordinate() throws IOException, MalformedMessageException {
            MessageFormat format = unpacker.getNextFormat();
            if (format.getValueType() != ValueType.MAP) {
                throw format("coordinate is " + format + ", expected a map");
            }
            int entries = unpacker.unpackMapHeader();
            // Missing keys keep Go's zero values; a missing or nil Vec is an empty vector.
            double adjustment = 0.0;
            double error = 0.0;
            double height = 0.0;
            double[] vec = new double[0];
            for (int i = 0; i < entries; i++) {
                switch (readKey()) {
                    case "Adjustment" -> adjustment = readFloat("Adjustment");
                    case "Error" -> error = readFloat("Error");
                    case "Height" -> height = readFloat("Height");
                    case "Vec" -> vec = readVec();
                    default -> unpacker.skipValue(); // a field from a newer Serf
                }
            }
            return new Coordinate(vec, error, adjustment, height);
        }

        /** A struct key: Go reads it as a string, so str and bin are both fine. */
        private String readKey() throws IOException, MalformedMessageException {
            MessageFormat format = unpacker.getNextFormat();
            int length = switch (format.getValueType()) {
                case STRING -> unpacker.unpackRawStringHeader();
                case BINARY -> unpacker.unpackBinaryHeader();
                default -> throw format("map key is " + format + ", expected a string");
            };
            // Check before allocating: the header alone may claim up to 2 GiB.
            if (length > remaining()) {
                throw new MalformedMessageException(DropReason.COORDINATE_FORMAT,
                        "key of " + length + " bytes, only " + remaining() + " left");
            }
            return new String(unpacker.readPayload(length), StandardCharsets.UTF_8);
        }

        /** A float64 field; Go also takes float32, any integer, and nil (as zero). */
        private double readFloat(String field) throws IOException, MalformedMessageException {
            MessageFormat format = unpacker.getNextFormat();
            return switch (format.getValueType()) {
                case FLOAT -> unpacker.unpackDouble();
                case INTEGER -> format == MessageFormat.UINT64
                        ? unpacker.unpackBigInteger().doubleValue() // may exceed a long
                        : unpacker.unpackLong();
                case NIL -> {
                    unpacker.unpackNil();
                    yield 0.0;
                }
                default -> throw format(field + " is " + format + ", expected a number");
            };
        }

        private double[] readVec() throws IOException, MalformedMessageException {
            MessageFormat format = unpacker.getNextFormat();
            switch (format.getValueType()) {
                case NIL -> {
                    unpacker.unpackNil();
                    return new double[0];
                }
                case ARRAY -> {
                    int length = unpacker.unpackArrayHeader();
                    if (length > MAX_DIMENSIONS) {
                        throw new MalformedMessageException(DropReason.COORDINATE_TOO_LARGE,
                                "Vec has " + length + " elements, at most " + MAX_DIMENSIONS);
                    }
                    double[] vec = new double[length];
                    for (int i = 0; i < length; i++) {
                        vec[i] = readFloat("Vec element");
                    }
                    return vec;
                }
                default -> throw format("Vec is " + format + ", expected an array");
            }
        }

        private long remaining() {
            return inputLength - unpacker.getTotalReadBytes();
        }

        private static MalformedMessageException format(String detail) {
            return new MalformedMessageException(DropReason.COORDINATE_FORMAT, detail);
        }
    }
}
