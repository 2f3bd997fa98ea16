package dev.gossip.core.cluster;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The append side of a snapshot file, used by one thread (the {@link Snapshotter}'s writer): it
 * keeps what a compacted file must hold (the alive members and the last clocks), appends records
 * through a buffer and rewrites the file when it has grown, as serf snapshot.go does.
 */
final class SnapshotFile implements AutoCloseable {

    /** serf.go snapshotSizeLimit: never compact a file smaller than this. */
    static final long MIN_COMPACT_SIZE = 128 * 1024;
    /** serf snapshot.go snapshotBytesPerNode: a rough size of one member's lines. */
    static final long BYTES_PER_NODE = 128;
    /** serf snapshot.go snapshotCompactionThreshold: compact at this many times the estimate. */
    static final long COMPACTION_THRESHOLD = 2;
    static final String COMPACT_SUFFIX = ".compact";

    private final Path path;
    private final boolean rejoinAfterLeave;
    private final long minCompactSize;
    /** name → {@code ip:port} of the members alive now: what compaction keeps. */
    private final Map<String, String> alive;
    private long lastClock;
    private long lastEventClock;
    private long lastQueryClock;
    /** After our graceful leave nothing but the member clock is recorded (serf snapshot.go:stream). */
    private boolean leaving;
    private FileChannel channel;
    private OutputStream out;
    /** Bytes in the file, buffered ones included. */
    private long offset;
    private boolean dirty;
    private int compactions;

    /**
     * Opens {@code path} for appending, starting from what replaying it gave: the replayed members
     * and clocks are what the next compaction writes, and a clock is appended only once it moves
     * past its replayed value.
     */
    SnapshotFile(Path path, SnapshotReplay replayed, boolean rejoinAfterLeave, long minCompactSize) throws IOException {
        this.path = path;
        this.rejoinAfterLeave = rejoinAfterLeave;
        this.minCompactSize = minCompactSize;
        this.alive = new LinkedHashMap<>(replayed.alive());
        this.lastClock = replayed.memberClock();
        this.lastEventClock = replayed.eventClock();
        this.lastQueryClock = replayed.queryClock();
        open();
    }

    private void open() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        out = new BufferedOutputStream(Channels.newOutputStream(channel), 8192);
        offset = channel.size();
    }

    /** Records {@code r}, if it changes anything; may compact the file. */
    void append(SnapshotRecord r) throws IOException {
        if (r instanceof SnapshotRecord.Clock c && c.kind() == SnapshotRecord.ClockKind.MEMBER) {
            // Still written after a leave: the clock must not run backwards on a rejoin.
            if (Long.compareUnsigned(c.value(), lastClock) > 0) {
                lastClock = c.value();
                write(c);
            }
            return;
        }
        if (leaving) {
            return;
        }
        if (r instanceof SnapshotRecord.Alive a) {
            alive.put(a.name(), a.address());
            write(a);
        } else if (r instanceof SnapshotRecord.NotAlive n) {
            alive.remove(n.name());
            write(n);
        } else if (r instanceof SnapshotRecord.Clock c) {
            // One line per newer time, not per event: serf snapshot.go:processUserEvent.
            long last = c.kind() == SnapshotRecord.ClockKind.EVENT ? lastEventClock : lastQueryClock;
            if (Long.compareUnsigned(c.value(), last) <= 0) {
                return;
            }
            if (c.kind() == SnapshotRecord.ClockKind.EVENT) {
                lastEventClock = c.value();
            } else {
                lastQueryClock = c.value();
            }
            write(c);
        } else if (r instanceof SnapshotRecord.Leave l) {
            leaving = true;
            if (!rejoinAfterLeave) {
                alive.clear();
            }
            write(l);
            sync(); // a leave must survive a crash right after it
        }
    }

    private void write(SnapshotRecord r) throws IOException {
        byte[] bytes = (r.line() + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        offset += bytes.length;
        dirty = true;
        if (offset > maxSize()) {
            compact();
        }
    }

    /** serf snapshot.go:snapshotMaxSize: twice the estimated size of the live state, at least the minimum. */
    long maxSize() {
        return Math.max(alive.size() * BYTES_PER_NODE * COMPACTION_THRESHOLD, minCompactSize);
    }

    /** Whether appended lines are waiting in the buffer. */
    boolean dirty() {
        return dirty;
    }

    void flush() throws IOException {
        if (dirty) {
            out.flush();
            dirty = false;
        }
    }

    /** Flushes and forces the file to disk. */
    void sync() throws IOException {
        flush();
        channel.force(false);
    }

    /**
     * Rewrites the file as the alive members and the three clocks, into {@code <path>.compact}
     * first and then renamed over the file, so a crash leaves either the old file or the new one
     * (serf snapshot.go:compact; serf removes the old file before its rename, we replace atomically).
     */
    void compact() throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + COMPACT_SUFFIX);
        StringBuilder sb = new StringBuilder();
        alive.forEach((name, addr) -> sb.append(new SnapshotRecord.Alive(name, addr).line()).append('\n'));
        sb.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.MEMBER, lastClock).line()).append('\n');
        sb.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.EVENT, lastEventClock).line()).append('\n');
        sb.append(new SnapshotRecord.Clock(SnapshotRecord.ClockKind.QUERY, lastQueryClock).line()).append('\n');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(java.nio.ByteBuffer.wrap(bytes));
            c.force(false);
        }
        closeQuietly();
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            open(); // the new file, or the old one again if the rename failed
        }
        dirty = false;
        compactions++;
    }

    /** How many times the file was rewritten. */
    int compactions() {
        return compactions;
    }

    long offset() {
        return offset;
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException e) {
            // the compacted file replaces what did not make it
        }
    }

    /** Flushes, syncs and closes. */
    @Override
    public void close() throws IOException {
        try {
            sync();
        } finally {
            out.close();
        }
    }
}
