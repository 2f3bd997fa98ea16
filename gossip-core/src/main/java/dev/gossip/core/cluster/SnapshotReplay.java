package dev.gossip.core.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a snapshot file says after replaying it (serf snapshot.go:replay): the members alive when
 * it was last written and the last value of each Lamport clock. Bad lines are skipped and counted,
 * never fatal: a snapshot only speeds up recovery, so a damaged one must not stop a node.
 */
final class SnapshotReplay {

    private static final Logger log = LoggerFactory.getLogger(SnapshotReplay.class);

    /** Longer lines are skipped: a name is at most a few hundred bytes, so such a line is damage. */
    static final int MAX_LINE = 64 * 1024;

    private final boolean rejoinAfterLeave;
    /** name → {@code ip:port}, in file order. */
    private final Map<String, String> alive = new LinkedHashMap<>();
    private long memberClock;
    private long eventClock;
    private long queryClock;
    private int skipped;
    private boolean left;

    private SnapshotReplay(boolean rejoinAfterLeave) {
        this.rejoinAfterLeave = rejoinAfterLeave;
    }

    static SnapshotReplay empty(boolean rejoinAfterLeave) {
        return new SnapshotReplay(rejoinAfterLeave);
    }

    /**
     * Replays {@code in} to its end. As serf, a last line without its newline (a write cut short
     * by a crash) is not read.
     */
    static SnapshotReplay read(InputStream in, boolean rejoinAfterLeave) throws IOException {
        SnapshotReplay r = new SnapshotReplay(rejoinAfterLeave);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') {
                    if (line.size() < MAX_LINE) {
                        line.write(buf[i]);
                    } else {
                        tooLong = true;
                    }
                    continue;
                }
                if (tooLong) {
                    r.skip("a line over " + MAX_LINE + " bytes", "");
                } else {
                    r.apply(line.toString(StandardCharsets.UTF_8));
                }
                line.reset();
                tooLong = false;
            }
        }
        return r;
    }

    /** Applies one line (without its newline). */
    void apply(String line) {
        SnapshotRecord r = SnapshotRecord.parse(line);
        if (r instanceof SnapshotRecord.Alive a) {
            alive.put(a.name(), a.address());
        } else if (r instanceof SnapshotRecord.NotAlive n) {
            alive.remove(n.name());
        } else if (r instanceof SnapshotRecord.Clock c) {
            switch (c.kind()) {
                case MEMBER -> memberClock = c.value();
                case EVENT -> eventClock = c.value();
                case QUERY -> queryClock = c.value();
            }
        } else if (r instanceof SnapshotRecord.Leave) {
            left = true;
            if (rejoinAfterLeave) {
                log.info("Ignoring the leave recorded in the snapshot (rejoin after leave)");
            } else {
                // A node that left on purpose starts afresh: no rejoin, clocks from the cluster.
                alive.clear();
                memberClock = 0;
                eventClock = 0;
                queryClock = 0;
            }
        } else if (r instanceof SnapshotRecord.Unreadable u) {
            skip(u.why(), line);
        }
    }

    private void skip(String why, String line) {
        skipped++;
        log.warn("Skipped a snapshot line ({}): {}", why, line.length() > 200 ? line.substring(0, 200) + "…" : line);
    }

    /** Members to rejoin, name → address, in file order. */
    Map<String, String> alive() {
        return Collections.unmodifiableMap(alive);
    }

    /**
     * The members to try, ourselves excepted, in random order (serf snapshot.go:AliveNodes
     * shuffles so restarted nodes do not all knock on the same door).
     */
    List<Map.Entry<String, String>> rejoinOrder(String self, RandomGenerator random) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : alive.entrySet()) {
            if (!e.getKey().equals(self)) {
                out.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        for (int i = out.size() - 1; i > 0; i--) {
            Collections.swap(out, i, random.nextInt(i + 1));
        }
        return out;
    }

    long memberClock() {
        return memberClock;
    }

    long eventClock() {
        return eventClock;
    }

    long queryClock() {
        return queryClock;
    }

    /** Lines that could not be read. */
    int skipped() {
        return skipped;
    }

    /** Whether the file holds a {@code leave} record. */
    boolean left() {
        return left;
    }
}
