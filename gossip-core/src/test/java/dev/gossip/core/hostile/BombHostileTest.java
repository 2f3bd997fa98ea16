package dev.gossip.core.hostile;

import dev.gossip.core.wire.Packets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Attack 5: oversized and compressed bombs. Over TCP: LZW streams that inflate to the 40 MiB
 * decompression limit or one byte past it, push/pulls of exactly the 20 MiB stream limit, streams
 * that run past it, and headers that announce more than it. Over UDP: LZW payloads that would
 * inflate a thousandfold, alone or many to a datagram, against the 64 KiB per-datagram budget.
 */
class BombHostileTest {

    /** RealRuntime.MAX_STREAM_BYTES: memberlist's maxPushStateBytes in an encrypted frame. */
    private static final int STREAM_LIMIT = 20 * 1024 * 1024 + 5;
    private static final int MIB = 1024 * 1024;
    private static final Duration DURATION = Duration.ofSeconds(6);
    private static final int LZW_STREAMS = 60;
    private static final int FRAMES = 24;
    private static final int DATAGRAMS = 9_000;
    private static final double DATAGRAMS_PER_SECOND = 1_500;

    @AutoClose
    private final Arena arena = new Arena();

    @Test
    void streamBombs() throws Exception {
        byte[] atInflateLimit = Packets.compress(new byte[Packets.MAX_DECOMPRESSED]);
        byte[] pastInflateLimit = Packets.compress(new byte[Packets.MAX_DECOMPRESSED + 1]);
        List<byte[]> frames = List.of(
                Forgery.pushPullOfLength(STREAM_LIMIT),
                Forgery.unfinishedPushPull(STREAM_LIMIT + 64 * 1024),
                Forgery.pushPullAnnouncing(STREAM_LIMIT + 1, 1024));
        LongAdder exchanges = new LongAdder();
        Result r = arena.attack("5a", "TCP bombs: LZW, at/over size limit", DURATION, (attacker, deadline) -> {
            attacker.repeat("lzw-streams", LZW_STREAMS, 0, deadline, i -> {
                attacker.exchange(arena.victimAddress(), i % 2 == 0 ? atInflateLimit : pastInflateLimit, deadline);
                exchanges.increment();
            });
            attacker.repeat("oversize-frames", FRAMES, 0, deadline, i -> {
                attacker.exchange(arena.victimAddress(), frames.get((int) (i % frames.size())), deadline);
                exchanges.increment();
            });
        });
        r.note("%d exchanges: LZW streams of %d B inflating to %d MiB (+1), push/pulls of %d MiB (the limit),"
                + " limit + 64 KiB, and announcing limit + 1", exchanges.sum(), atInflateLimit.length,
                Packets.MAX_DECOMPRESSED / MIB, STREAM_LIMIT / MIB).report();
        r.commonTargets().assertAll();
    }

    @Test
    void datagramBombs() throws Exception {
        byte[] single = Packets.compress(new byte[4 * 1024 * 1024]);
        byte[] part = Packets.compress(new byte[64 * 1024]);
        byte[] many = Packets.compound(Collections.nCopies(20, part));
        byte[] nested = Packets.compress(Packets.compound(List.of(single, single)));
        List<byte[]> kinds = new ArrayList<>(List.of(single, many, nested));
        Result r = arena.attack("5b", "UDP LZW bombs", DURATION, (attacker, deadline) ->
                attacker.repeat("bombs", DATAGRAMS, DATAGRAMS_PER_SECOND, deadline,
                        i -> attacker.send(arena.victimAddress(), kinds.get((int) (i % kinds.size())))));
        r.note("%,d datagrams at %,.0f/s: %d B inflating to 4 MiB, 20 × %d B to 64 KiB each, both nested",
                DATAGRAMS, DATAGRAMS_PER_SECOND, single.length, part.length).report();
        r.commonTargets().assertAll();
    }
}
