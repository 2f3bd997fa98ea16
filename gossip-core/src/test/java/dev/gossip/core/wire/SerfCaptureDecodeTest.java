package dev.gossip.core.wire;

import dev.gossip.core.TestBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gossip.core.cluster.Tags;
import dev.gossip.core.coordinate.Coordinate;
import dev.gossip.core.coordinate.CoordinateCodec;
import dev.gossip.core.security.Encryption;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.wire.SerfCapture.Entry;
import dev.gossip.core.wire.WireWalker.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Walks every datagram and both push/pull streams that two real serf 0.9.4 agents exchanged
 * (plain and encrypted runs) through the main wire decoders, and checks the decoded values
 * against what docs/protocol.md (§4, §6, §7, §12) says serf sent.
 */
class SerfCaptureDecodeTest {

    private static final byte[] LOCALHOST = {127, 0, 0, 1};
    private static final byte[] SERF_VSN = {1, 5, 2, 2, 5, 5};
    private static final int STREAM_LIMIT = 20 * 1024 * 1024 + 5; // as RealRuntime configures it
    private static final String ALPHA = "alpha";
    private static final String BETA = "beta";

    private final SerfCapture plain = SerfCapture.plain();
    private final SerfCapture encrypted = SerfCapture.encrypted();

    // ---- UDP, plaintext run ----

    @Test
    void everyPlainDatagramDecodesCompletely() throws Exception {
        assertThat(plain.datagrams).hasSize(92);
        Map<String, Integer> kinds = new TreeMap<>();
        for (Entry d : plain.datagrams) {
            for (Decoded m : walk(d)) {
                kinds.merge(kind(m), 1, Integer::sum);
            }
        }
        // Every message of the run, counted by kind (cross-checked by hand against the capture).
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ping", 25, "ack", 25, "alive", 24, "dead", 4,
                "serf-join", 8, "serf-leave", 7, "serf-user-event", 8, "serf-query", 8,
                "serf-query-response", 2));
    }

    @Test
    void firstGossipIsACrcFramedCompoundOfBothAlives() throws Exception {
        Entry first = plain.datagrams.get(0);
        // §4 example: 0c 82827b24 07 02 004f 0046 | alive(alpha) | alive(beta)
        assertThat(Arrays.copyOf(first.bytes(), 11))
                .isEqualTo(HexFormat.of().parseHex("0c82827b240702004f0046"));
        List<Decoded> msgs = walk(first);
        assertThat(msgs).extracting(Decoded::path).containsExactly("crc/compound", "crc/compound");

        Alive alpha = (Alive) msgs.get(0).message();
        assertThat(alpha.node()).isEqualTo(ALPHA);
        assertThat(alpha.addr()).isEqualTo(LOCALHOST);
        assertThat(alpha.port()).isEqualTo(7946);
        assertThat(alpha.incarnation()).isEqualTo(1);
        assertThat(alpha.vsn()).isEqualTo(SERF_VSN);
        // §7.5: ff 82 a4"role" a3"web" a2"dc" a3"lab"
        assertThat(alpha.meta()).isEqualTo(concat(new byte[] {(byte) 0xff, (byte) 0x82},
                str("role"), str("web"), str("dc"), str("lab")));
        assertThat(Tags.decode(alpha.meta())).isEqualTo(Map.of("role", "web", "dc", "lab"));

        Alive beta = (Alive) msgs.get(1).message();
        assertThat(beta.node()).isEqualTo(BETA);
        assertThat(beta.addr()).isEqualTo(LOCALHOST);
        assertThat(beta.port()).isEqualTo(7947);
        assertThat(beta.incarnation()).isEqualTo(1);
        assertThat(beta.vsn()).isEqualTo(SERF_VSN);
        assertThat(Tags.decode(beta.meta())).isEqualTo(Map.of("role", "db"));
    }

    @Test
    void gossipLayersAreCrcThenCompressThenCompound() throws Exception {
        // §12: "order on the wire is CRC(12) -> compress(9) -> compound(7)".
        List<Decoded> msgs = walk(plain.datagrams.get(1));
        assertThat(msgs).extracting(Decoded::path).containsOnly("crc/compress/compound");
        assertThat(msgs).extracting(Decoded::type).containsExactly(
                MessageType.ALIVE, MessageType.ALIVE, MessageType.USER);
        assertThat(msgs.get(2).message()).isEqualTo(new JoinIntent(1, BETA));
        assertThat(((Alive) msgs.get(0).message()).node()).isEqualTo(ALPHA);
        assertThat(((Alive) msgs.get(1).message()).node()).isEqualTo(BETA);
    }

    @Test
    void joinIntentIsBetaAtLamportTimeOne() throws Exception {
        List<Decoded> joins = all(plain, m -> m.serfType() == SerfMessageType.JOIN);
        assertThat(joins).hasSize(8).extracting(Decoded::message).containsOnly(new JoinIntent(1, BETA));
    }

    @Test
    void pingsMatchTheReferenceAndCarryNoCrc() throws Exception {
        Entry d = plain.datagrams.get(9);
        assertThat(d.from()).isEqualTo("127.0.0.1:7946");
        // §4: "a ping from serf (alpha -> beta), 66 bytes, no CRC"
        byte[] expected = concat(new byte[] {0x00, (byte) 0x85}, str("Node"), str("beta"),
                str("SeqNo"), new byte[] {1}, str("SourceAddr"), new byte[] {(byte) 0xa4, 127, 0, 0, 1},
                str("SourceNode"), str("alpha"), str("SourcePort"), new byte[] {(byte) 0xcd, 0x1f, 0x0a});
        assertThat(d.bytes()).isEqualTo(expected).hasSize(66);
        Ping p = (Ping) walk(d).get(0).message();
        assertThat(p.node()).isEqualTo(BETA);
        assertThat(p.seqNo()).isEqualTo(1);
        assertThat(p.sourceAddr()).isEqualTo(LOCALHOST);
        assertThat(p.sourceNode()).isEqualTo(ALPHA);
        assertThat(p.sourcePort()).isEqualTo(7946);

        for (Decoded m : all(plain, m -> m.type() == MessageType.PING || m.type() == MessageType.ACK)) {
            assertThat(m.path()).as("%s", m).doesNotContain("crc");
        }
    }

    @Test
    void everyAckAnswersAnEarlierPingAndCarriesACoordinate() throws Exception {
        List<long[]> pings = new ArrayList<>(); // {index, fromPort, toPort, seq}
        int acks = 0;
        for (Entry d : plain.datagrams) {
            for (Decoded m : walk(d)) {
                if (m.message() instanceof Ping p) {
                    // The ping names its target: alpha is 7946, beta 7947.
                    assertThat(p.node()).isEqualTo(d.toPort() == 7946 ? ALPHA : BETA);
                    assertThat(p.sourcePort()).isEqualTo(d.fromPort());
                    pings.add(new long[] {d.index(), d.fromPort(), d.toPort(), p.seqNo()});
                } else if (m.message() instanceof Ack a) {
                    acks++;
                    assertThat(pings).as("ping answered by ack %s in %s", a.seqNo(), d)
                            .anyMatch(p -> p[1] == d.toPort() && p[2] == d.fromPort() && p[3] == a.seqNo());
                    // §7.6: [0x01] ++ msgpack Coordinate, 8 dimensions, finite.
                    assertThat(a.payload()[0]).isEqualTo(CoordinateCodec.PING_VERSION);
                    Coordinate c = CoordinateCodec.decode(a.payload());
                    assertThat(c.dimensionality()).isEqualTo(8);
                    assertThat(c.error()).isPositive().isLessThanOrEqualTo(1.5);
                    assertThat(c.height()).isGreaterThanOrEqualTo(1e-5);
                }
            }
        }
        assertThat(acks).isEqualTo(25);

        // The first ack is the fresh-node coordinate, LZW-compressed because that was smaller.
        Entry first = plain.datagrams.get(10);
        assertThat(first.bytes()).hasSize(113);
        Decoded m = walk(first).get(0);
        assertThat(m.path()).isEqualTo("compress");
        assertThat(m.raw()).hasSize(150);
        Ack ack = (Ack) m.message();
        assertThat(ack.seqNo()).isEqualTo(1);
        Coordinate fresh = CoordinateCodec.decode(ack.payload());
        assertThat(fresh.vec()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(fresh.error()).isEqualTo(1.5);
        assertThat(fresh.adjustment()).isEqualTo(0.0);
        assertThat(fresh.height()).isEqualTo(1e-5);
        // §12: ack Payload is a str16 (da 0082), i.e. raw, not bin.
        assertThat(Arrays.copyOfRange(m.raw(), 10, 13)).isEqualTo(HexFormat.of().parseHex("da0082"));
    }

    @Test
    void userEventIsHelloWorldPayload() throws Exception {
        List<Decoded> events = all(plain, m -> m.serfType() == SerfMessageType.USER_EVENT);
        assertThat(events).hasSize(8);
        for (Decoded m : events) {
            UserEventMessage e = (UserEventMessage) m.message();
            assertThat(e.name()).isEqualTo("hello");
            assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo("world-payload");
            assertThat(e.ltime()).isEqualTo(1);
            assertThat(e.cc()).isTrue();
        }
    }

    @Test
    void queryAndItsAcksDecode() throws Exception {
        List<Decoded> queries = all(plain, m -> m.serfType() == SerfMessageType.QUERY);
        assertThat(queries).hasSize(8);
        QueryMessage q = (QueryMessage) queries.get(0).message();
        assertThat(q.name()).isEqualTo("whoami");
        assertThat(q.sourceNode()).isEqualTo(BETA);
        assertThat(q.addr()).isEqualTo(LOCALHOST);
        assertThat(q.port()).isEqualTo(7947);
        assertThat(q.ltime()).isEqualTo(1);
        assertThat(q.id()).isEqualTo(106331633);
        assertThat(q.flags()).isEqualTo(QueryMessage.FLAG_ACK);
        assertThat(q.ackRequested()).isTrue();
        assertThat(q.noBroadcast()).isFalse();
        assertThat(q.filters()).isNull();
        assertThat(q.payload()).isNull();
        assertThat(q.relayFactor()).isZero();
        assertThat(q.timeoutNanos()).isEqualTo(2_000_000_000L);
        for (Decoded other : queries) {
            assertRecordsEqual(other.message(), q);
        }

        // §12: ack responses are sent directly (no compound, no CRC), including to itself.
        List<Decoded> responses = all(plain, m -> m.serfType() == SerfMessageType.QUERY_RESPONSE);
        assertThat(responses).extracting(Decoded::path).containsOnly("");
        assertThat(responses).extracting(m -> ((QueryResponseMessage) m.message()).from())
                .containsExactly(BETA, ALPHA);
        for (Decoded m : responses) {
            QueryResponseMessage r = (QueryResponseMessage) m.message();
            assertThat(r.isAck()).isTrue();
            assertThat(r.flags()).isEqualTo(1);
            assertThat(r.id()).isEqualTo(q.id());
            assertThat(r.ltime()).isEqualTo(q.ltime());
            assertThat(r.payload()).isNull();
        }
        Entry selfAck = plain.datagrams.stream()
                .filter(d -> d.from().equals(d.to())).findFirst().orElseThrow();
        assertThat(((QueryResponseMessage) walk(selfAck).get(0).message()).from()).isEqualTo(BETA);
    }

    @Test
    void betasTagUpdateIsAnAliveWithIncarnationTwo() throws Exception {
        List<Decoded> updates = all(plain, m -> m.message() instanceof Alive a && a.incarnation() == 2);
        assertThat(updates).hasSize(8);
        for (Decoded m : updates) {
            Alive a = (Alive) m.message();
            assertThat(a.node()).isEqualTo(BETA);
            assertThat(a.port()).isEqualTo(7947);
            assertThat(a.addr()).isEqualTo(LOCALHOST);
            assertThat(a.vsn()).isEqualTo(SERF_VSN);
            assertThat(Tags.decode(a.meta())).isEqualTo(Map.of("role", "db", "zone", "z1"));
            assertThat(m.path()).isEqualTo("crc");
        }
        // Every other alive is at incarnation 1 with the start-up tags.
        for (Decoded m : all(plain, m -> m.message() instanceof Alive a && a.incarnation() != 2)) {
            Alive a = (Alive) m.message();
            assertThat(a.incarnation()).isEqualTo(1);
            assertThat(Tags.decode(a.meta())).isEqualTo(a.node().equals(ALPHA)
                    ? Map.of("role", "web", "dc", "lab") : Map.of("role", "db"));
        }
    }

    @Test
    void gracefulLeaveIsLeaveIntentThenDeadFromItself() throws Exception {
        int firstLeave = Integer.MAX_VALUE;
        int firstDead = Integer.MAX_VALUE;
        int leaves = 0;
        int deads = 0;
        for (Entry d : plain.datagrams) {
            for (Decoded m : walk(d)) {
                if (m.message() instanceof LeaveIntent l) {
                    assertThat(l).isEqualTo(new LeaveIntent(2, BETA, false));
                    firstLeave = Math.min(firstLeave, d.index());
                    leaves++;
                } else if (m.message() instanceof Accusation a) {
                    assertThat(a).isEqualTo(Accusation.dead(2, BETA, BETA));
                    assertThat(a.isDead()).isTrue();
                    firstDead = Math.min(firstDead, d.index());
                    deads++;
                }
            }
        }
        assertThat(leaves).isEqualTo(7);
        assertThat(deads).isEqualTo(4);
        assertThat(firstLeave).as("Serf leave intent goes out before memberlist's dead").isLessThan(firstDead);
        // §4: graceful-leave dead with CRC: 0c 9add4e33 05 83 a4"From" a4"beta" ...
        Entry crcDead = plain.datagrams.stream()
                .filter(d -> d.bytes()[0] == MessageType.HAS_CRC && d.bytes()[5] == MessageType.DEAD)
                .findFirst().orElseThrow();
        assertThat(crcDead.from()).isEqualTo("127.0.0.1:7947");
        assertThat(Arrays.copyOf(crcDead.bytes(), 7)).isEqualTo(HexFormat.of().parseHex("0c9add4e330583"));
    }

    // ---- UDP, encrypted run ----

    @Test
    void everyEncryptedDatagramDecryptsAndDecodes() throws Exception {
        Keyring ring = Keyring.fromBase64(List.of(SerfCapture.CAPTURE_KEY));
        assertThat(encrypted.datagrams).hasSize(23);
        Map<String, Integer> kinds = new TreeMap<>();
        List<Decoded> all = new ArrayList<>();
        for (Entry d : encrypted.datagrams) {
            byte[] plainBytes = Encryption.decryptPacket(ring, d.bytes());
            assertThat(plainBytes).hasSize(d.bytes().length - 29);
            for (Decoded m : walkBytes(plainBytes, d)) {
                kinds.merge(kind(m), 1, Integer::sum);
                all.add(m);
            }
        }
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ping", 4, "ack", 4, "alive", 16, "serf-join", 8, "serf-query", 4,
                "serf-query-response", 2));

        // In this run alpha had only role=web and beta no tags at all (meta ff 80, §11.12).
        for (Decoded m : all) {
            if (m.message() instanceof Alive a) {
                assertThat(a.incarnation()).isEqualTo(1);
                assertThat(a.vsn()).isEqualTo(SERF_VSN);
                if (a.node().equals(BETA)) {
                    assertThat(a.meta()).isEqualTo(new byte[] {(byte) 0xff, (byte) 0x80});
                    assertThat(Tags.decode(a.meta())).isEmpty();
                } else {
                    assertThat(a.node()).isEqualTo(ALPHA);
                    assertThat(Tags.decode(a.meta())).isEqualTo(Map.of("role", "web"));
                }
            }
        }

        // §12: _serf_list-keys query, payload 07 81 a3"Key" a0, default timeout 3.2 s.
        QueryMessage q = (QueryMessage) all.stream()
                .filter(m -> m.serfType() == SerfMessageType.QUERY).findFirst().orElseThrow().message();
        assertThat(q.name()).isEqualTo("_serf_list-keys");
        assertThat(q.payload()).isEqualTo(concat(new byte[] {0x07, (byte) 0x81}, str("Key"), new byte[] {(byte) 0xa0}));
        assertThat(q.timeoutNanos()).isEqualTo(3_200_000_000L);
        assertThat(q.flags()).isZero();
        assertThat(q.sourceNode()).isEqualTo(ALPHA);
        assertThat(q.port()).isEqualTo(7946);
        assertThat(q.addr()).isEqualTo(LOCALHOST);

        List<QueryResponseMessage> responses = all.stream()
                .filter(m -> m.serfType() == SerfMessageType.QUERY_RESPONSE)
                .map(m -> (QueryResponseMessage) m.message()).toList();
        assertThat(responses).extracting(QueryResponseMessage::from).containsExactlyInAnyOrder(ALPHA, BETA);
        for (QueryResponseMessage r : responses) {
            assertThat(r.isAck()).isFalse();
            assertThat(r.id()).isEqualTo(q.id());
            assertThat(r.ltime()).isEqualTo(q.ltime());
            // [0x08] ++ nodeKeyResponse{Keys, Message, PrimaryKey, Result}, keys as str16 (no str8)
            assertThat(r.payload()[0]).isEqualTo((byte) SerfMessageType.KEY_RESPONSE);
            KeyResponse k = KeyResponse.decode(r.payload());
            assertThat(k.keys).containsExactly(SerfCapture.CAPTURE_KEY);
            assertThat(k.primaryKey).isEqualTo(SerfCapture.CAPTURE_KEY);
            assertThat(k.result).isTrue();
            assertThat(k.message).isEmpty();
            assertThat(indexOf(r.payload(), concat(new byte[] {(byte) 0xda, 0x00, 0x2c},
                    SerfCapture.CAPTURE_KEY.getBytes(StandardCharsets.US_ASCII)))).isPositive();
        }
    }

    // ---- TCP push/pull ----

    @Test
    void plainJoinStreamsDecode() throws Exception {
        assertThat(plain.streams).hasSize(2);
        Entry join = plain.streams.get(0);
        Entry answer = plain.streams.get(1);
        assertThat(join.to()).isEqualTo("127.0.0.1:7946");
        assertThat(answer.from()).isEqualTo("127.0.0.1:7946");
        // §12: initiator stream starts 09 82 a4"Algo" 00 a3"Buf" da 00d2 (always compressed)
        assertThat(Arrays.copyOf(join.bytes(), 15)).isEqualTo(concat(new byte[] {0x09, (byte) 0x82},
                str("Algo"), new byte[] {0}, str("Buf"), new byte[] {(byte) 0xda, 0x00, (byte) 0xd2}));

        byte[] joinPlain = Packets.decompress(join.bytes(), 1, join.bytes().length - 1);
        // decompressed: 06 83 a4"Join" c3 a5"Nodes" 01 ac"UserStateLen" cd 024c
        assertThat(Arrays.copyOf(joinPlain, 31)).isEqualTo(concat(new byte[] {0x06, (byte) 0x83},
                str("Join"), new byte[] {(byte) 0xc3}, str("Nodes"), new byte[] {1},
                str("UserStateLen"), new byte[] {(byte) 0xcd, 0x02, 0x4c}));
        assertPushPull(joinPlain, BETA, 7947, Map.of("role", "db"), 588);

        byte[] answerPlain = Packets.decompress(answer.bytes(), 1, answer.bytes().length - 1);
        assertPushPull(answerPlain, ALPHA, 7946, Map.of("role", "web", "dc", "lab"), 589);
    }

    @Test
    void encryptedJoinStreamsDecryptAndDecode() throws Exception {
        Keyring ring = Keyring.fromBase64(List.of(SerfCapture.CAPTURE_KEY));
        assertThat(encrypted.streams).hasSize(2);
        byte[] join = Encryption.decryptStream(ring, encrypted.streams.get(0).bytes());
        byte[] answer = Encryption.decryptStream(ring, encrypted.streams.get(1).bytes());
        assertPushPull(Packets.decompress(join, 1, join.length - 1), BETA, 7947, Map.of(), 588);
        assertPushPull(Packets.decompress(answer, 1, answer.length - 1), ALPHA, 7946,
                Map.of("role", "web"), 589);
    }

    @Test
    void streamFramingFindsExactlyEachCapturedStream() throws Exception {
        StreamFraming framing = new StreamFraming(STREAM_LIMIT);
        List<byte[]> streams = new ArrayList<>();
        plain.streams.forEach(s -> streams.add(s.bytes()));
        encrypted.streams.forEach(s -> streams.add(s.bytes()));
        // The decompressed push/pulls too: a peer with compression off sends those as they are.
        for (Entry s : plain.streams) {
            streams.add(Packets.decompress(s.bytes(), 1, s.bytes().length - 1));
        }
        assertThat(streams).hasSize(6);
        for (byte[] s : streams) {
            assertThat(framing.frameLength(s, 0, s.length)).isEqualTo(s.length);
            for (int n = 0; n < s.length; n++) {
                if (framing.frameLength(s, 0, n) != StreamFramer.NEED_MORE) {
                    fail("prefix of " + n + " of " + s.length + " bytes was not NEED_MORE");
                }
            }
            // Followed by more bytes (the next message), the frame still ends in the same place,
            // also when it does not start at offset 0.
            byte[] padded = concat(new byte[] {0x55, 0x55, 0x55}, s, new byte[] {0x00, (byte) 0x80});
            assertThat(framing.frameLength(padded, 3, padded.length - 3)).isEqualTo(s.length);
        }
    }

    // ---- helpers ----

    private static void assertPushPull(byte[] msg, String name, int port, Map<String, String> tags,
                                       int userStateLen) throws Exception {
        assertThat(msg[0]).isEqualTo((byte) MessageType.PUSH_PULL);
        PushPull pp = PushPull.decode(msg, 1, msg.length - 1);
        assertThat(pp.join()).isTrue();
        assertThat(pp.nodes()).hasSize(1);
        PushNodeState n = pp.nodes().get(0);
        assertThat(n.name()).isEqualTo(name);
        assertThat(n.addr()).isEqualTo(LOCALHOST);
        assertThat(n.port()).isEqualTo(port);
        assertThat(n.incarnation()).isEqualTo(1);
        assertThat(n.state()).isZero();
        assertThat(n.vsn()).isEqualTo(SERF_VSN);
        assertThat(Tags.decode(n.meta())).isEqualTo(tags);
        // The user state ends the message exactly.
        assertThat(pp.userState()).hasSize(userStateLen);
        assertThat(Arrays.copyOfRange(msg, msg.length - userStateLen, msg.length)).isEqualTo(pp.userState());

        byte[] user = pp.userState();
        assertThat(user[0]).isEqualTo((byte) SerfMessageType.PUSH_PULL);
        MsgReader r = new MsgReader(user, 1, user.length - 1);
        SerfPushPull s = SerfPushPull.decode(r);
        assertThat(r.remaining()).isZero();
        assertThat(s.ltime()).isEqualTo(1);
        assertThat(s.eventLTime()).isEqualTo(1);
        assertThat(s.queryLTime()).isEqualTo(1);
        assertThat(s.leftMembers()).isEmpty();
        assertThat(s.statusLTimes()).isEqualTo(Map.of(name, 0L));
        // Go sends the whole 512-slot ring, all nil here; nil slots are not buckets.
        assertThat(s.events()).isEmpty();
    }

    private static List<Decoded> walk(Entry d) throws MalformedMessageException {
        return walkBytes(d.bytes(), d);
    }

    private static List<Decoded> walkBytes(byte[] bytes, Entry d) {
        try {
            return WireWalker.walk(bytes);
        } catch (MalformedMessageException e) {
            throw new AssertionError("capture " + d + " did not decode: " + e.getMessage()
                    + "\n" + HexFormat.of().formatHex(bytes), e);
        }
    }

    private static List<Decoded> all(SerfCapture c, Predicate<Decoded> filter) throws Exception {
        List<Decoded> out = new ArrayList<>();
        for (Entry d : c.datagrams) {
            for (Decoded m : walk(d)) {
                if (filter.test(m)) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    static String kind(Decoded m) {
        if (m.type() == MessageType.USER) {
            return switch (m.serfType()) {
                case SerfMessageType.LEAVE -> "serf-leave";
                case SerfMessageType.JOIN -> "serf-join";
                case SerfMessageType.USER_EVENT -> "serf-user-event";
                case SerfMessageType.QUERY -> "serf-query";
                case SerfMessageType.QUERY_RESPONSE -> "serf-query-response";
                default -> "serf-" + m.serfType();
            };
        }
        return switch (m.type()) {
            case MessageType.PING -> "ping";
            case MessageType.INDIRECT_PING -> "indirect-ping";
            case MessageType.ACK -> "ack";
            case MessageType.SUSPECT -> "suspect";
            case MessageType.ALIVE -> "alive";
            case MessageType.DEAD -> "dead";
            case MessageType.NACK -> "nack";
            default -> "type-" + m.type();
        };
    }

    /** Serf's nodeKeyResponse (§7.9), decoded with the main MsgReader. */
    private record KeyResponse(List<String> keys, String message, String primaryKey, boolean result) {
        static KeyResponse decode(byte[] payload) throws MalformedMessageException {
            MsgReader r = new MsgReader(payload, 1, payload.length - 1);
            List<String> keys = List.of();
            String message = null;
            String primary = null;
            boolean result = false;
            int n = r.map();
            for (int i = 0; i < n; i++) {
                switch (r.str()) {
                    case "Keys" -> keys = r.stringList();
                    case "Message" -> message = r.str();
                    case "PrimaryKey" -> primary = r.str();
                    case "Result" -> result = r.bool();
                    default -> fail("unexpected key in nodeKeyResponse");
                }
            }
            assertThat(r.remaining()).isZero();
            return new KeyResponse(keys, message, primary, result);
        }
    }

    /** Field-by-field equality of records, arrays by content (records compare arrays by identity). */
    static void assertRecordsEqual(Object actual, Object expected) {
        WireRoundTripTest.assertDeepEquals(actual, expected, expected.getClass().getSimpleName());
    }

    /** msgpack fixstr as Go writes it (all keys and short values here are under 32 bytes). */
    static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) (0xa0 | b.length)}, b);
    }

    static byte[] concat(byte[]... parts) {
        return TestBytes.concat(parts);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
