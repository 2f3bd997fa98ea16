package dev.gossip.core.fuzz;

import static dev.gossip.core.fuzz.HostilePackets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipNode;
import dev.gossip.core.GossipStats;
import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.transport.StreamFramer.MalformedStreamException;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.ErrResp;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.MsgWriter;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import dev.gossip.core.wire.PushNodeState;
import dev.gossip.core.wire.PushPull;
import dev.gossip.core.wire.SerfCapture;
import dev.gossip.core.wire.SerfPushPull;
import dev.gossip.core.wire.StreamFraming;
import dev.gossip.core.wire.UserEventMessage;
import dev.gossip.core.wire.UserMsgHeader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * 100,000 hostile TCP stream messages: each goes through {@link StreamFraming#frameLength} (which
 * runs on the transport's I/O thread, before any node code), and a good share of them through a
 * live node's stream path. The framer may only return a plausible length, NEED_MORE, or throw
 * {@link MalformedStreamException}; the node must answer every stream with an {@code err}, a
 * push/pull, an ack or by closing it, and keep working.
 */
class StreamDecoderFuzzTest {

    private static final long SEED = 0x57EA_F022L;
    private static final int INPUTS = 100_000;
    /** One input in this many goes to the victim as well. */
    private static final int TO_NODE_EVERY = 4;
    private static final int BATCH = 250;
    private static final int STREAM_LIMIT = 20 * 1024 * 1024 + 5; // RealRuntime's limit
    private static final int SMALL_LIMIT = 4096;             // exercises the over-limit branch

    private final SplittableRandom rnd = new SplittableRandom(SEED);
    private final List<byte[]> valid = new ArrayList<>();

    @Test
    void hostileStreamsAreFramedOrRefusedAndTheNodeAnswersThemAll() throws Exception {
        long wallStart = System.nanoTime();
        FuzzCluster c = new FuzzCluster(SEED);
        c.start(3);
        GossipNode victim = c.nodes.get(1);
        InetSocketAddress victimAddr = FuzzCluster.address(1);
        GossipStats stats = victim.stats();
        long streamsBefore = stats.streamsReceived();
        long ownBefore = c.ownStreams.getOrDefault(victim.name(), 0L);
        Map<DropReason, Long> dropsAtStart = stats.drops();
        buildCorpus(victim.name());

        StreamFraming big = new StreamFraming(STREAM_LIMIT);
        StreamFraming small = new StreamFraming(SMALL_LIMIT);
        Map<String, Integer> framing = new TreeMap<>();
        Outcomes outcomes = new Outcomes();
        long maxAllocated = 0;
        int sentToNode = 0;

        for (int i = 0; i < INPUTS; i++) {
            byte[] input = hostile();
            boolean useSmall = i % 10 == 0;
            StreamFraming framer = useSmall ? small : big;
            int limit = useSmall ? SMALL_LIMIT : STREAM_LIMIT;

            // Frame it at offset 0 and again inside a bigger buffer: same answer both times.
            long before = allocatedBytes();
            Object r0 = frame(framer, input, 0, input.length);
            maxAllocated = Math.max(maxAllocated, allocatedBytes() - before);
            int pad = 1 + rnd.nextInt(7);
            byte[] padded = concat(junk(pad), input, junk(rnd.nextInt(4)));
            Object r1 = frame(framer, padded, pad, input.length);
            if (!r0.equals(r1)) {
                fail("input " + i + " framed as " + r0 + " at offset 0 but " + r1 + " at " + pad
                        + ": " + hex(input));
            }
            if (r0 instanceof Integer len) {
                if (len == StreamFramer.NEED_MORE) {
                    framing.merge("need-more", 1, Integer::sum);
                    if (input.length >= limit) {
                        fail("NEED_MORE for " + input.length + " bytes, limit " + limit + ": " + hex(input));
                    }
                } else {
                    framing.merge("frame", 1, Integer::sum);
                    if (len < 1 || len > input.length || len > limit) {
                        fail("frame length " + len + " for " + input.length + " bytes: " + hex(input));
                    }
                    // The frame alone is complete, and one byte less is not.
                    Object whole = frame(framer, input, 0, len);
                    Object cut = frame(framer, input, 0, len - 1);
                    if (!whole.equals(len) || !cut.equals(StreamFramer.NEED_MORE)) {
                        fail("frame " + len + " re-framed as " + whole + ", cut as " + cut + ": " + hex(input));
                    }
                }
            } else {
                framing.merge("malformed", 1, Integer::sum);
            }

            // Every few inputs also go to the node: what a transport would hand it (the frame) or,
            // for coverage of the decoders behind the framer, the raw bytes it refused.
            byte[] toNode = null;
            if (i % TO_NODE_EVERY == 0 && input.length > 0) {
                toNode = r0 instanceof Integer len && len > 0 ? Arrays.copyOf(input, len) : input;
            }
            if (toNode != null) {
                sentToNode++;
                c.attacker.request(victimAddr, toNode, true, Duration.ofSeconds(10).toNanos(),
                        outcomes.callback(toNode));
            }
            if ((i + 1) % BATCH == 0) {
                c.runFor(Duration.ofMillis(20));
            }
        }
        c.runFor(Duration.ofSeconds(11)); // past the stream timeout: every call has settled

        Map<DropReason, Long> dropsByReason = new TreeMap<>();
        stats.drops().forEach((reason, n) -> {
            long d = n - dropsAtStart.getOrDefault(reason, 0L);
            if (d > 0) {
                dropsByReason.put(reason, d);
            }
        });
        // The cluster's own push/pulls and TCP pings that reached the victim meanwhile are not the attacker's.
        long received = stats.streamsReceived() - streamsBefore
                - (c.ownStreams.getOrDefault(victim.name(), 0L) - ownBefore);
        System.out.printf("StreamDecoderFuzzTest: %d inputs, framing %s (max %d bytes allocated per call); "
                        + "%d streams to the victim -> replies %s, drops %s; %.1f s wall, %.1f s virtual%n",
                INPUTS, framing, maxAllocated, sentToNode, outcomes.counts, dropsByReason,
                (System.nanoTime() - wallStart) / 1e9, c.time.now() / 1e9);

        assertThat(c.time.taskFailures()).as("task failures, first: %s", c.time.firstFailure()).isZero();
        assertThat(framing).containsKeys("frame", "need-more", "malformed");
        assertThat(maxAllocated).as("bytes allocated by one frameLength call").isLessThan(1 << 20);

        assertThat(sentToNode).isGreaterThan(INPUTS / 5);
        assertThat(received).as("streams the victim received").isEqualTo(sentToNode);
        assertThat(outcomes.settled()).as("streams settled").isEqualTo(sentToNode);
        assertThat(outcomes.unexpected).as("replies that were not err/push-pull/ack").isEmpty();
        assertThat(outcomes.counts).doesNotContainKey("timeout");
        assertThat(outcomes.counts.get("err")).isGreaterThan(sentToNode / 3);
        assertThat(outcomes.counts).containsKeys("push-pull", "ack", "closed");
        assertThat(dropsByReason).doesNotContainKey(DropReason.INTERNAL);
        assertThat(dropsByReason).containsKeys(DropReason.MSGPACK, DropReason.LZW, DropReason.COMPRESS, DropReason.UNKNOWN_TYPE,
                DropReason.UNEXPECTED_ENCRYPTION, DropReason.PUSHPULL, DropReason.USER_STREAM);
        assertThat(dropsByReason.values().stream().mapToLong(Long::longValue).sum())
                .isGreaterThanOrEqualTo(outcomes.counts.get("err"));

        assertThat(c.awaitConverged(Duration.ofSeconds(60))).as("3 nodes converged after the fuzz:\n%s", c.views()).isTrue();
        // Push/pulls that survived mutation (e.g. a flipped byte in "alpha") are valid state from
        // the protocol's point of view and add unreachable "ghost" members. Like any SWIM node, the
        // cluster must detect them as failed; until then they dilute gossip fan-out, so a newcomer
        // is given minutes, not seconds, to be seen by everyone.
        long joinAt = c.time.now();
        long wallJoin = System.nanoTime();
        c.add(3, 1);
        assertThat(c.awaitConverged(Duration.ofMinutes(5))).as("4 nodes converged:\n%s", c.views()).isTrue();
        System.out.printf("StreamDecoderFuzzTest: 4th node seen by all after %.1f s virtual (%.1f s wall); "
                        + "%d members known to the victim%n",
                (c.time.now() - joinAt) / 1e9, (System.nanoTime() - wallJoin) / 1e9, victim.members().size());
        assertThat(c.time.taskFailures()).as("task failures, first: %s", c.time.firstFailure()).isZero();
    }

    /** Whatever the victim did with each stream. */
    private static final class Outcomes {
        final Map<String, Integer> counts = new TreeMap<>();
        final List<String> unexpected = new ArrayList<>();

        int settled() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        Transport.StreamCallback callback(byte[] sent) {
            return new Transport.StreamCallback() {
                @Override
                public void onReply(byte[] reply) {
                    counts.merge(classify(reply), 1, Integer::sum);
                }

                @Override
                public void onFailure(Throwable cause) {
                    counts.merge(cause instanceof SocketTimeoutException ? "timeout"
                            : cause instanceof IOException ? "closed" : "failure:" + cause, 1, Integer::sum);
                }

                private String classify(byte[] reply) {
                    try {
                        byte[] msg = reply.length > 0 && reply[0] == MessageType.COMPRESS
                                ? Packets.decompress(reply, 1, reply.length - 1) : reply;
                        MsgReader r = new MsgReader(msg, 1, msg.length - 1);
                        switch (msg[0]) {
                            case MessageType.ERR -> {
                                if (ErrResp.decode(r).error().isEmpty()) {
                                    unexpected.add("empty err for " + hex(sent));
                                }
                                return "err";
                            }
                            case MessageType.PUSH_PULL -> {
                                PushPull.decode(msg, 1, msg.length - 1);
                                return "push-pull";
                            }
                            case MessageType.ACK -> {
                                Ack.decode(r);
                                return "ack";
                            }
                            default -> {
                                unexpected.add("reply type " + msg[0] + " for " + hex(sent));
                                return "other";
                            }
                        }
                    } catch (MalformedMessageException | RuntimeException e) {
                        unexpected.add("undecodable reply " + e + " for " + hex(sent));
                        return "other";
                    }
                }
            };
        }
    }

    private static Object frame(StreamFraming f, byte[] buf, int off, int len) {
        try {
            return f.frameLength(buf, off, len);
        } catch (MalformedStreamException e) {
            return "malformed";
        } catch (RuntimeException | Error e) {
            throw new AssertionError("frameLength threw " + e + " for " + hex(Arrays.copyOfRange(buf, off, off + len)), e);
        }
    }

    // ---- inputs ----

    private void buildCorpus(String victim) throws Exception {
        for (SerfCapture.Entry s : SerfCapture.plain().streams) {
            valid.add(s.bytes());                                          // compressed push/pull
            valid.add(Packets.decompress(s.bytes(), 1, s.bytes().length - 1)); // uncompressed
        }
        for (SerfCapture.Entry s : SerfCapture.encrypted().streams) {
            valid.add(s.bytes()); // encrypted: the victim has no key, so it must refuse these
        }
        byte[] ip = {10, 55, 0, 1};
        for (int i = 0; i < 8; i++) {
            valid.add(new Ping(i, victim, ip, 7946, "ghost").encode());          // TCP ping
            valid.add(Packets.compress(new Ping(i, i % 2 == 0 ? "" : victim, null, 0, "").encode()));
            // A user message over TCP carrying a Serf user event, and an err reply.
            valid.add(UserMsgHeader.encode(new UserEventMessage(i, "tcp-" + i, new byte[i], false).encode()));
            valid.add(new ErrResp("boom " + i).encode());
            // A push/pull from a few recurring ghosts (a bounded set, so the victim's member list
            // cannot grow without limit), with and without Serf state.
            List<PushNodeState> nodes = List.of(new PushNodeState("ghost-pp-" + (i % 3),
                    new byte[] {10, 55, 1, (byte) i}, 7946, new byte[] {(byte) 0xff, (byte) 0x80},
                    1, i % 4, new byte[] {1, 5, 2, 2, 5, 5}));
            byte[] serf = new SerfPushPull(i, Map.of("ghost-pp-" + (i % 3), (long) i), List.of(), i,
                    List.of(), i).encode();
            byte[] pp = new PushPull(i % 2 == 0, nodes, i % 3 == 0 ? new byte[0] : serf).encode();
            valid.add(pp);
            valid.add(Packets.compress(pp));
        }
    }

    private byte[] hostile() {
        byte[] base = valid.get(rnd.nextInt(valid.size()));
        return switch (rnd.nextInt(12)) {
            case 0 -> base.clone();
            case 1, 2 -> flip(base, 1 + rnd.nextInt(8));
            case 3 -> Arrays.copyOf(base, rnd.nextInt(base.length + 1));
            case 4 -> concat(base, junk(1 + rnd.nextInt(64)));    // the next message follows
            case 5 -> { // random bytes behind a stream type byte
                byte[] b = junk(rnd.nextInt(rnd.nextInt(10) == 0 ? 6000 : 600));
                if (b.length > 0) {
                    b[0] = (byte) new int[] {0, 2, 6, 8, 9, 10, 11, 13, rnd.nextInt(256)}[rnd.nextInt(9)];
                }
                yield b;
            }
            case 6 -> { // push/pull or user headers with enormous counts
                MsgWriter w = MsgWriter.message(rnd.nextBoolean() ? MessageType.PUSH_PULL : MessageType.USER);
                w.map(3).str("Join").bool(true)
                        .str("Nodes").uint(pickLong(0, 1, 100_000, 100_001, Integer.MAX_VALUE, -1, Long.MAX_VALUE))
                        .str(rnd.nextBoolean() ? "UserStateLen" : "UserMsgLen")
                        .uint(pickLong(0, 5, 4095, 8 << 20, (8 << 20) + 1, Integer.MAX_VALUE, -7, Long.MAX_VALUE));
                yield concat(w.toByteArray(), junk(rnd.nextInt(100)));
            }
            case 7 -> { // a lying msgpack header spliced in
                byte[] liar = HostilePackets.LIARS[rnd.nextInt(HostilePackets.LIARS.length)];
                int at = rnd.nextInt(base.length + 1);
                yield concat(Arrays.copyOf(base, at), liar, junk(rnd.nextInt(20)));
            }
            case 8 -> { // encrypted frame header with any length, including over the limit
                long len = pickLong(0, 1, 28, 29, 245, SMALL_LIMIT, STREAM_LIMIT, STREAM_LIMIT + 1L, 0xFFFF_FFFFL);
                byte[] h = {10, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
                yield concat(h, junk(rnd.nextInt(300)));
            }
            case 9 -> { // compress around garbage, or around a mutated push/pull
                byte[] inner = rnd.nextBoolean() ? junk(rnd.nextInt(400)) : flip(base, 2);
                yield rnd.nextBoolean() ? Packets.compress(inner)
                        : MsgWriter.message(MessageType.COMPRESS).map(2).str("Algo").uint(rnd.nextInt(3))
                                .str("Buf").raw(junk(rnd.nextInt(400))).toByteArray();
            }
            case 10 -> { // deep nesting: compress inside compress, or map-in-map for the skipper
                byte[] b = base;
                for (int d = 1 + rnd.nextInt(4); d > 0; d--) {
                    b = Packets.compress(b);
                }
                if (rnd.nextBoolean()) {
                    byte[] nest = new byte[1 + rnd.nextInt(5000)];
                    Arrays.fill(nest, (byte) (rnd.nextBoolean() ? 0x91 : 0x81));
                    nest[0] = (byte) new int[] {0, 2, 6, 9, 13}[rnd.nextInt(5)];
                    b = nest;
                }
                yield b;
            }
            default -> { // a different stream type byte on a real body
                byte[] b = base.clone();
                b[0] = (byte) rnd.nextInt(16);
                yield b;
            }
        };
    }

    private byte[] flip(byte[] src, int n) {
        byte[] b = src.clone();
        for (int i = 0; i < n && b.length > 0; i++) {
            int at = rnd.nextInt(b.length);
            b[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (b[at] ^ (1 << rnd.nextInt(8)));
        }
        return b;
    }

    private byte[] junk(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private long pickLong(long... values) {
        return values[rnd.nextInt(values.length)];
    }

    private static String hex(byte[] b) {
        String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 200));
        return b.length > 200 ? h + "... (" + b.length + " bytes)" : h;
    }

    static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            return t.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }
}
