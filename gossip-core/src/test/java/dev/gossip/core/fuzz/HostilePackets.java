package dev.gossip.core.fuzz;

import dev.gossip.core.TestBytes;
import dev.gossip.core.security.Encryption;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.IndirectPing;
import dev.gossip.core.wire.JoinIntent;
import dev.gossip.core.wire.LeaveIntent;
import dev.gossip.core.wire.Lzw;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgWriter;
import dev.gossip.core.wire.Nack;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import dev.gossip.core.wire.QueryMessage;
import dev.gossip.core.wire.QueryResponseMessage;
import dev.gossip.core.wire.RelayHeader;
import dev.gossip.core.wire.SerfCapture;
import dev.gossip.core.wire.UserEventMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile UDP payloads for a node that runs without encryption, built from real serf traffic and
 * from well-formed messages aimed at the victim. Deterministic for a given random source.
 *
 * <p>Generated messages never accuse or re-announce the cluster's own nodes (names are
 * {@code ghost-*}, or the captures' {@code alpha}/{@code beta}): forging a higher incarnation for a
 * live member is a protocol-level attack every memberlist shares, not a decoder fault, and would
 * make the convergence check meaningless.
 */
final class HostilePackets {

    /** The kinds of input, each with the share of cases it gets. */
    enum Kind {
        FLIPPED(16), TRUNCATED(10), RANDOM(10), HUGE_LENGTHS(12), NESTED(8), BAD_COMPRESS(8),
        UNKNOWN_TYPE(6), SERF_MUTATED(14), MIXED_COMPOUND(8), VALID(8);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    /** msgpack headers that claim far more than follows: str32, bin32, array32, map32, str16. */
    static final byte[][] LIARS = {
        HexFormat.of().parseHex("db7fffffff"), HexFormat.of().parseHex("dbffffffff"),
        HexFormat.of().parseHex("c67fffffff"), HexFormat.of().parseHex("c6ffffffff"),
        HexFormat.of().parseHex("dd7fffffff"), HexFormat.of().parseHex("ddffffffff"),
        HexFormat.of().parseHex("df7fffffff"), HexFormat.of().parseHex("dfffffffff"),
        HexFormat.of().parseHex("daffff"), HexFormat.of().parseHex("dcffff"),
        HexFormat.of().parseHex("deffff"), HexFormat.of().parseHex("cfffffffffffffffff"),
        HexFormat.of().parseHex("d3ffffffffffffffff"), HexFormat.of().parseHex("8f"),
        HexFormat.of().parseHex("9f"), HexFormat.of().parseHex("bf"),
    };

    private static final String[] KEYS = {"Node", "SeqNo", "SourceAddr", "SourcePort", "SourceNode",
        "Addr", "Incarnation", "Meta", "Port", "Vsn", "From", "Target", "Nack", "Payload", "LTime",
        "Name", "CC", "Filters", "Flags", "ID", "RelayFactor", "Timeout", "Prune", "Algo", "Buf",
        "DestAddr", "DestName", "IP", "Zone"};

    private final SplittableRandom rnd;
    private final int totalWeight;
    /** Complete datagrams as a peer would send them. */
    final List<byte[]> validPackets = new ArrayList<>();
    /** Single messages (type byte first), for compounds and wrappers. */
    final List<byte[]> validMessages = new ArrayList<>();
    /** Serf messages (Serf type byte first), for type-8 mutation. */
    final List<byte[]> serfMessages = new ArrayList<>();
    /** LZW streams that inflate far beyond their size. */
    private final List<byte[]> bombs = new ArrayList<>();

    HostilePackets(SplittableRandom rnd, String victim) throws Exception {
        this.rnd = rnd;
        int w = 0;
        for (Kind k : Kind.values()) {
            w += k.weight;
        }
        totalWeight = w;

        SerfCapture plain = SerfCapture.plain();
        plain.datagrams.forEach(d -> validPackets.add(d.bytes()));
        Keyring ring = Keyring.fromBase64(List.of(SerfCapture.CAPTURE_KEY));
        for (SerfCapture.Entry d : SerfCapture.encrypted().datagrams) {
            validPackets.add(Encryption.decryptPacket(ring, d.bytes()));
        }
        for (byte[] p : validPackets) {
            collectMessages(p);
        }

        // Well-formed messages for the victim, so mutations start from bodies it acts on.
        byte[] attackerIp = FuzzCluster.ATTACKER.getAddress().getAddress();
        int attackerPort = FuzzCluster.ATTACKER.getPort();
        for (int i = 0; i < 20; i++) {
            addMessage(new Ping(i, victim, attackerIp, attackerPort, "ghost-" + i).encode());
            addMessage(new Ping(i, "", null, 0, "").encode());
            addMessage(new IndirectPing(i, new byte[] {10, 99, 0, (byte) i}, 7946, "ghost-" + i, i % 2 == 0,
                    attackerIp, attackerPort, "ghost").encode());
            addMessage(new Ack(i, new byte[] {1, (byte) 0x80}).encode());
            addMessage(new Nack(i).encode());
            addMessage(new Alive(1 + i, "ghost-" + i, new byte[] {10, 77, 0, (byte) i}, 7946,
                    new byte[] {(byte) 0xff, (byte) 0x81, (byte) 0xa1, 'k', (byte) 0xa1, 'v'},
                    new byte[] {1, 5, 2, 2, 5, 5}).encode());
            addMessage(Accusation.suspect(1 + i, "ghost-" + i, "ghost").encode());
            addMessage(Accusation.dead(1 + i, "ghost-" + i, "ghost-" + i).encode());
            addSerf(new JoinIntent(i, "ghost-" + i).encode());
            addSerf(new LeaveIntent(i, "ghost-" + i, i % 3 == 0).encode());
            addSerf(new UserEventMessage(i, "fuzz-" + i, new byte[i], i % 2 == 0).encode());
            addSerf(new QueryMessage(i, i, attackerIp, attackerPort, "ghost", i % 2 == 0 ? null
                    : List.of(new byte[] {0, (byte) 0x91, (byte) 0xa1, 'x'}), i % 4, i % 3,
                    1_000_000_000L, "q" + i, new byte[] {1, 2, 3}).encode());
            addSerf(new QueryResponseMessage(i, i, "ghost", i % 2, new byte[] {9}).encode());
            addSerf(new RelayHeader(attackerIp, attackerPort, "ghost")
                    .encode(new QueryResponseMessage(i, i, "ghost", 1, null).encode()));
        }

        for (int size : new int[] {64 * 1024, 1 << 20, 4 << 20}) {
            bombs.add(Lzw.compress(new byte[size])); // zeros: a ping whose body is fixint 0
        }
    }

    private void addMessage(byte[] msg) {
        validMessages.add(msg);
        validPackets.add(msg);
    }

    private void addSerf(byte[] serf) {
        serfMessages.add(serf);
        addMessage(prefix(MessageType.USER, serf));
    }

    private void collectMessages(byte[] buf) throws Exception {
        switch (buf[0]) {
            case MessageType.HAS_CRC -> collectMessages(Packets.stripCrc(buf));
            case MessageType.COMPRESS -> collectMessages(Packets.decompress(buf, 1, buf.length - 1));
            case MessageType.COMPOUND -> {
                for (byte[] p : Packets.splitCompound(buf, 1, buf.length - 1)) {
                    collectMessages(p);
                }
            }
            case MessageType.USER -> {
                validMessages.add(buf);
                serfMessages.add(Arrays.copyOfRange(buf, 1, buf.length));
            }
            default -> validMessages.add(buf);
        }
    }

    Kind nextKind() {
        int r = rnd.nextInt(totalWeight);
        for (Kind k : Kind.values()) {
            r -= k.weight;
            if (r < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    byte[] next(Kind kind) {
        return switch (kind) {
            case FLIPPED -> flip(pick(validPackets), 1 + rnd.nextInt(8));
            case TRUNCATED -> truncate(pick(validPackets));
            case RANDOM -> random();
            case HUGE_LENGTHS -> hugeLengths();
            case NESTED -> nested(pick(validMessages), 1 + rnd.nextInt(12));
            case BAD_COMPRESS -> badCompress();
            case UNKNOWN_TYPE -> unknownType();
            case SERF_MUTATED -> serfMutated();
            case MIXED_COMPOUND -> mixedCompound();
            case VALID -> pick(validPackets).clone();
        };
    }

    // ---- generators ----

    byte[] flip(byte[] src, int flips) {
        byte[] b = src.clone();
        if (b.length == 0) {
            return b;
        }
        for (int i = 0; i < flips; i++) {
            int at = rnd.nextInt(b.length);
            b[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (b[at] ^ (1 << rnd.nextInt(8)));
        }
        return b;
    }

    byte[] truncate(byte[] src) {
        return Arrays.copyOf(src, rnd.nextInt(src.length));
    }

    byte[] random() {
        byte[] b = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 9000 : 1500)];
        rnd.nextBytes(b);
        if (b.length > 0 && rnd.nextInt(10) < 7) {
            b[0] = (byte) rnd.nextInt(14);
        }
        return b;
    }

    private byte[] hugeLengths() {
        return switch (rnd.nextInt(6)) {
            case 0 -> { // a compound header promising up to 255 parts of up to 64 KiB
                int count = 1 + rnd.nextInt(255);
                byte[] b = new byte[2 + 2 * count + rnd.nextInt(40)];
                rnd.nextBytes(b);
                b[0] = MessageType.COMPOUND;
                b[1] = (byte) count;
                for (int i = 0; i < count; i++) {
                    if (rnd.nextBoolean()) {
                        b[2 + 2 * i] = (byte) 0xff;
                        b[3 + 2 * i] = (byte) 0xff;
                    }
                }
                yield rnd.nextBoolean() ? b : Arrays.copyOf(b, 2 + rnd.nextInt(2 * count)); // header itself cut
            }
            case 1 -> { // [type] map{Key: <liar>}
                int type = pickOf(0, 1, 2, 3, 4, 5, 11);
                MsgWriter w = MsgWriter.message(type).map(1 + rnd.nextInt(3)).str(KEYS[rnd.nextInt(KEYS.length)]);
                yield concat(w.toByteArray(), liar(), tail());
            }
            case 2 -> concat(new byte[] {(byte) pickOf(0, 1, 2, 3, 4, 5, 11)}, liar(), tail()); // the map itself lies
            case 3 -> { // a liar spliced into a real message
                byte[] m = pick(validMessages);
                int at = 1 + rnd.nextInt(Math.max(1, m.length - 1));
                yield concat(Arrays.copyOf(m, at), liar(), rnd.nextBoolean()
                        ? Arrays.copyOfRange(m, Math.min(m.length, at + 5), m.length) : tail());
            }
            case 4 -> { // compress whose Buf claims gigabytes
                MsgWriter w = MsgWriter.message(MessageType.COMPRESS).map(2).str("Algo").uint(0).str("Buf");
                yield concat(w.toByteArray(), liar(), tail());
            }
            default -> { // a Serf message whose body lies
                byte[] s = pick(serfMessages);
                yield concat(new byte[] {MessageType.USER, s[0]}, liar(), tail());
            }
        };
    }

    private byte[] nested(byte[] msg, int depth) {
        byte[] b = msg;
        for (int i = 0; i < depth; i++) {
            b = switch (rnd.nextInt(4)) {
                case 0 -> Packets.withCrc(b);
                case 1 -> Packets.compress(b);
                case 2 -> Packets.compound(List.of(b));
                default -> Packets.compound(List.of(pick(validMessages), b, pick(validMessages)));
            };
            if (b.length > 60_000) {
                break;
            }
        }
        return rnd.nextInt(4) == 0 ? flip(b, 1) : b;
    }

    private byte[] badCompress() {
        byte[] buf = switch (rnd.nextInt(6)) {
            case 0 -> { // plain garbage
                byte[] g = new byte[rnd.nextInt(600)];
                rnd.nextBytes(g);
                yield g;
            }
            case 1 -> { // valid LZW around garbage: decompresses fine, then the inside fails
                byte[] g = new byte[rnd.nextInt(600)];
                rnd.nextBytes(g);
                yield Lzw.compress(g);
            }
            case 2 -> flip(Lzw.compress(pick(validMessages)), 1 + rnd.nextInt(3));
            case 3 -> truncate(Lzw.compress(pick(validMessages)));
            case 4 -> rnd.nextInt(20) == 0 ? pick(bombs) : Lzw.compress(new byte[rnd.nextInt(20_000)]);
            default -> Lzw.compress(pick(validMessages)); // paired with a bad Algo below
        };
        MsgWriter w = MsgWriter.message(MessageType.COMPRESS);
        switch (rnd.nextInt(5)) {
            case 0 -> w.map(1).str("Buf").raw(buf);                                // no Algo: 0 by default
            case 1 -> w.map(2).str("Algo").uint(rnd.nextInt(1, 300)).str("Buf").raw(buf); // unknown algorithm
            case 2 -> w.map(1).str("Algo").uint(0);                                // no Buf
            default -> w.map(2).str("Algo").uint(0).str("Buf").raw(buf);
        }
        return w.toByteArray();
    }

    private byte[] unknownType() {
        int type;
        do {
            type = rnd.nextInt(256);
        } while (type <= 5 || type == 7 || type == 8 || type == 9 || type == 11 || type == 12);
        byte[] body = rnd.nextBoolean() ? pick(validMessages) : random();
        byte[] b = body.length == 0 ? new byte[1] : body.clone();
        b[0] = (byte) type;
        return b;
    }

    private byte[] serfMutated() {
        byte[] s = pick(serfMessages);
        byte[] body = switch (rnd.nextInt(4)) {
            case 0 -> flip(s, 1 + rnd.nextInt(8));
            case 1 -> truncate(s);
            case 2 -> { // another Serf type byte on this body, including unknown ones
                byte[] b = s.clone();
                b[0] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(12));
                yield b;
            }
            default -> concat(new byte[] {s[0]}, random());
        };
        byte[] msg = prefix(MessageType.USER, body);
        return rnd.nextInt(3) == 0 ? Packets.withCrc(msg) : msg;
    }

    private byte[] mixedCompound() {
        List<byte[]> parts = new ArrayList<>();
        int size = 2;
        for (int n = 1 + rnd.nextInt(12); n > 0 && size < 8000; n--) {
            Kind k = nextKind();
            byte[] p = k == Kind.MIXED_COMPOUND ? pick(validMessages) : next(k);
            if (p.length > 65535) {
                continue;
            }
            parts.add(p);
            size += p.length + 2;
        }
        byte[] c = Packets.compound(parts);
        return switch (rnd.nextInt(4)) {
            case 0 -> Packets.withCrc(c);
            case 1 -> Packets.compress(c);
            case 2 -> truncate(c);
            default -> c;
        };
    }

    // ---- helpers ----

    private byte[] liar() {
        return LIARS[rnd.nextInt(LIARS.length)];
    }

    private byte[] tail() {
        byte[] t = new byte[rnd.nextInt(32)];
        rnd.nextBytes(t);
        return t;
    }

    byte[] pick(List<byte[]> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    private int pickOf(int... values) {
        return values[rnd.nextInt(values.length)];
    }

    static byte[] prefix(int type, byte[] body) {
        return concat(new byte[] {(byte) type}, body);
    }

    static byte[] concat(byte[]... parts) {
        return TestBytes.concat(parts);
    }
}
