package dev.gossip.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.wire.MalformedMessageException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Decryption reads raw network bytes, so for any input it must return or throw
 * {@link MalformedMessageException}; anything else would escape the receive path. Seeded, so a
 * failure names an input that reproduces. Inputs are biased past the cheap checks (version,
 * length, stream header) into GCM itself, and captured serf packets are mutated so the
 * near-valid cases are covered.
 */
class EncryptionFuzzTest {

    private static final long SEED = 0x5EC0_2E5EL;
    private static final int ITERATIONS = 120_000;

    private final SerfCaptures capture = SerfCaptures.load("encrypted.json");
    /** The capture key second, so every authenticated attempt walks the ring. */
    private final Keyring ring = Keyring.of(new byte[16], SerfCaptures.captureKeyring().primaryKey());

    @Test
    void onlyMalformedMessageExceptionEscapes() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<byte[]> datagrams = capture.datagrams;
        List<byte[]> streams = capture.streams;
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input;
            boolean mustFail = false;
            switch (i % 6) {
                case 0 -> input = randomBytes(random, random.nextInt(0, 120));
                case 1 -> input = versionedRandom(random);
                case 2 -> {
                    input = mutate(random, datagrams.get(random.nextInt(datagrams.size())));
                    mustFail = true;
                }
                case 3 -> input = randomStreamFrame(random);
                case 4 -> {
                    input = mutate(random, streams.get(random.nextInt(streams.size())));
                    mustFail = true;
                }
                default -> {
                    // The success path, interleaved so cipher reuse across outcomes is exercised.
                    byte[] plain = randomBytes(random, random.nextInt(0, 300));
                    input = random.nextBoolean()
                            ? Encryption.encryptPacket(ring, plain)
                            : Encryption.encryptStream(ring, plain);
                }
            }
            int outcomes = feed(input, i);
            if (mustFail) {
                assertThat(outcomes).as("mutated capture accepted, input %d: %s", i, hex(input)).isZero();
            }
            accepted += outcomes;
            rejected += 2 - outcomes;
        }
        assertThat(accepted).isGreaterThanOrEqualTo(ITERATIONS / 6);
        assertThat(rejected).isGreaterThan(ITERATIONS);
    }

    /** Runs both decoders (and the framer helper); returns how many accepted the input. */
    private int feed(byte[] input, int index) {
        int accepted = 0;
        try {
            Encryption.decryptPacket(ring, input);
            accepted++;
        } catch (MalformedMessageException expected) {
            // the contract
        } catch (Throwable t) {
            throw new AssertionError("decryptPacket threw " + t + " on input " + index + ": " + hex(input), t);
        }
        try {
            Encryption.decryptStream(ring, input);
            accepted++;
        } catch (MalformedMessageException expected) {
            // the contract
        } catch (Throwable t) {
            throw new AssertionError("decryptStream threw " + t + " on input " + index + ": " + hex(input), t);
        }
        try {
            Encryption.streamFrameLength(input, 0, input.length);
        } catch (MalformedMessageException expected) {
            // the contract
        } catch (Throwable t) {
            throw new AssertionError("streamFrameLength threw " + t + " on input " + index + ": " + hex(input), t);
        }
        return accepted;
    }

    /** Version 0 or 1 and long enough to reach AES-GCM (lengths around the 29/45 minimums). */
    private static byte[] versionedRandom(SplittableRandom random) {
        byte[] input = randomBytes(random, random.nextInt(25, 90));
        input[0] = (byte) random.nextInt(0, 2);
        return input;
    }

    /** {@code [0x0a][L]...} with L right, off by a little, or wild. */
    private static byte[] randomStreamFrame(SplittableRandom random) {
        int payload = random.nextInt(0, 100);
        byte[] input = randomBytes(random, 5 + payload);
        input[0] = 10;
        long length = switch (random.nextInt(4)) {
            case 0, 1 -> payload;
            case 2 -> payload + random.nextInt(-3, 4);
            default -> random.nextLong(0, 1L << 32);
        };
        input[1] = (byte) (length >>> 24);
        input[2] = (byte) (length >>> 16);
        input[3] = (byte) (length >>> 8);
        input[4] = (byte) length;
        if (payload > 0 && random.nextBoolean()) {
            input[5] = (byte) random.nextInt(0, 2); // valid encryption version
        }
        return input;
    }

    /** A changed copy: never equal to the original, so it must not authenticate. */
    private static byte[] mutate(SplittableRandom random, byte[] original) {
        byte[] out;
        switch (random.nextInt(4)) {
            case 0 -> { // flip 1..4 bits
                out = original.clone();
                int flips = random.nextInt(1, 5);
                for (int f = 0; f < flips; f++) {
                    int bit = random.nextInt(out.length * 8);
                    out[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                if (Arrays.equals(out, original)) {
                    out[random.nextInt(out.length)] ^= 0x40;
                }
            }
            case 1 -> out = Arrays.copyOf(original, random.nextInt(original.length)); // truncate
            case 2 -> { // extend with random bytes
                out = Arrays.copyOf(original, original.length + random.nextInt(1, 20));
                for (int j = original.length; j < out.length; j++) {
                    out[j] = (byte) random.nextInt(256);
                }
            }
            default -> { // overwrite a run with a different value
                out = original.clone();
                int at = random.nextInt(out.length);
                int run = random.nextInt(1, Math.min(16, out.length - at) + 1);
                for (int j = at; j < at + run; j++) {
                    out[j] = (byte) (out[j] + random.nextInt(1, 256));
                }
            }
        }
        return out;
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    private static String hex(byte[] input) {
        return HexFormat.of().formatHex(input);
    }
}
