package dev.gossip.core.cluster;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Member;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serf's {@code -snapshot} (§9, serf snapshot.go): records who is alive and the three Lamport
 * clocks in an append-only file, so a restarted node can rejoin the members it knew and does not
 * deliver user events and queries it already delivered.
 *
 * <p>The protocol thread only hands records to a bounded queue; a writer thread of its own does
 * the file I/O, flushing at most {@link #FLUSH_INTERVAL} after a write. When the queue is full the
 * record is dropped and counted (as serf drops events for its snapshot): a slow disk must never
 * delay pings.
 */
public final class Snapshotter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);

    /** serf snapshot.go flushInterval (and clockUpdateInterval). */
    public static final Duration FLUSH_INTERVAL = Duration.ofMillis(500);
    /** serf snapshot.go eventChSize. */
    static final int QUEUE_CAPACITY = 2048;
    /** serf snapshot.go snapshotErrorRecoveryInterval: how often a failing file is compacted to recover. */
    private static final long ERROR_RECOVERY_NANOS = Duration.ofSeconds(30).toNanos();

    private final Path path;
    private final SnapshotReplay replayed;
    private final SnapshotFile file;
    private final BlockingQueue<SnapshotRecord> queue;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private volatile boolean closed;
    /** Wakes the writer on close; never written. */
    private static final SnapshotRecord WAKE = new SnapshotRecord.Ignored();

    Snapshotter(Path path, SnapshotReplay replayed, SnapshotFile file, int capacity, String nodeName) {
        this.path = path;
        this.replayed = replayed;
        this.file = file;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::writeLoop, "gossip-snapshot-" + nodeName);
        writer.setDaemon(true);
    }

    /**
     * Replays {@code path} (creating it and its directories if missing) and starts the writer.
     * Runs on the caller's thread, never the protocol thread: it reads the whole file.
     *
     * @throws IOException when the file cannot be read, created or appended to
     */
    public static Snapshotter open(Path path, boolean rejoinAfterLeave, String nodeName) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SnapshotReplay replayed;
        if (Files.exists(path)) {
            try (InputStream in = Files.newInputStream(path)) {
                replayed = SnapshotReplay.read(in, rejoinAfterLeave);
            }
        } else {
            replayed = SnapshotReplay.empty(rejoinAfterLeave);
        }
        SnapshotFile file = new SnapshotFile(path, replayed, rejoinAfterLeave, SnapshotFile.MIN_COMPACT_SIZE);
        Snapshotter s = new Snapshotter(path, replayed, file, QUEUE_CAPACITY, nodeName);
        log.info("Snapshot {}: {} members to rejoin, clock {}, event clock {}, query clock {}{}", path,
                replayed.alive().size(), Long.toUnsignedString(replayed.memberClock()),
                Long.toUnsignedString(replayed.eventClock()), Long.toUnsignedString(replayed.queryClock()),
                replayed.skipped() > 0 ? ", " + replayed.skipped() + " unreadable lines skipped" : "");
        s.writer.start();
        return s;
    }

    /** What the file held when the node started. */
    SnapshotReplay replayed() {
        return replayed;
    }

    public Path path() {
        return path;
    }

    // ---- on the protocol thread: never blocks ----

    /**
     * Records what a Serf event changes (serf snapshot.go:stream): a member join or its end, or the
     * time of a user event or query; after a member event, the member clock too.
     *
     * @param memberClock the member clock's current time
     */
    void record(GossipEvent event, long memberClock) {
        if (event instanceof GossipEvent.MemberEvent e) {
            for (Member m : e.members()) {
                switch (e.type()) {
                    case JOIN -> offer(new SnapshotRecord.Alive(m.name(),
                            SnapshotRecord.address(m.address(), m.port())));
                    case LEAVE, FAILED -> offer(new SnapshotRecord.NotAlive(m.name()));
                    default -> { }
                }
            }
            recordClock(memberClock);
        } else if (event instanceof GossipEvent.UserEvent u) {
            offer(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.EVENT, u.ltime()));
        }
    }

    /** A query was accepted for processing (internal ones too: serf snapshots before its query handler). */
    void recordQuery(long ltime) {
        offer(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.QUERY, ltime));
    }

    /**
     * The member clock, as the last time seen ({@code time − 1}, serf snapshot.go:updateClock); the
     * file gets a line only when it moved.
     */
    void recordClock(long memberClock) {
        offer(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.MEMBER, memberClock - 1));
    }

    /** We are leaving gracefully (serf snapshot.go:Leave). */
    void leave() {
        offer(new SnapshotRecord.Leave());
    }

    private void offer(SnapshotRecord r) {
        if (closed) {
            return;
        }
        if (!queue.offer(r)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) { // 1, 2, 4, 8...: visible, but no log storm
                log.warn("Snapshot queue full: {} records dropped so far ({} is slow)", n, path);
            }
        }
    }

    /** Records dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Lines of the file that could not be read at start. */
    public int skippedLines() {
        return replayed.skipped();
    }

    /** Appends or flushes that failed. */
    public long writeErrors() {
        return writeErrors.get();
    }

    // ---- the writer thread ----

    private void writeLoop() {
        long flushNanos = FLUSH_INTERVAL.toNanos();
        long lastFlush = System.nanoTime();
        long lastRecovery = System.nanoTime() - ERROR_RECOVERY_NANOS;
        try {
            while (true) {
                long wait = file.dirty() ? Math.max(0, lastFlush + flushNanos - System.nanoTime()) : flushNanos;
                SnapshotRecord r = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (r == null && closed) {
                    break;
                }
                try {
                    if (r != null) {
                        file.append(r);
                    }
                    if (file.dirty() && System.nanoTime() - lastFlush >= flushNanos) {
                        file.flush();
                        lastFlush = System.nanoTime();
                    }
                } catch (IOException e) {
                    writeErrors.incrementAndGet();
                    log.error("Failed to update snapshot {}: {}", path, e.toString());
                    // serf snapshot.go:tryAppend: a rewrite may get past a bad state (a full disk freed since).
                    if (System.nanoTime() - lastRecovery > ERROR_RECOVERY_NANOS) {
                        lastRecovery = System.nanoTime();
                        try {
                            file.compact();
                            log.info("Compacted snapshot {} to recover from the error", path);
                        } catch (IOException again) {
                            log.error("Compacting snapshot {} failed too, retrying in 30 s: {}", path,
                                    again.toString());
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                file.close();
            } catch (IOException e) {
                log.error("Failed to close snapshot {}: {}", path, e.toString());
            }
        }
    }

    /** Writes out what is queued, syncs and closes; waits at most a second unless on {@code noWait}. */
    public void close(boolean noWait) {
        closed = true;
        queue.offer(WAKE);
        if (noWait) {
            return;
        }
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(false);
    }

    /** For tests: the writer's file state. */
    SnapshotFile file() {
        return file;
    }

    /** For tests that fill the queue: starts the writer of a snapshotter made with the constructor. */
    void startWriter() {
        writer.start();
    }
}
