package dev.gossip.lab;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Everything a lab run saw: every observer's view of every member, sampled every 100 ms, and the
 * faults injected. Times are milliseconds since the run's origin. Thread-safe for the recorder
 * threads that append to it; readers take a {@link #snapshot()}.
 */
final class History {

    /** One member as one observer sees it. {@code incarnation} is -1 where the observer can't tell (serf RPC). */
    record View(String status, long incarnation, String address) {
        boolean is(String s) {
            return status.equals(s);
        }
    }

    /**
     * What {@code observer} reported at {@code t}: its Lamport (member) clock, -1 if unknown, and
     * its view keyed by member name. {@code life} counts the observer's restarts, from 0: clocks
     * and incarnations start again in a new life.
     */
    record Observation(long t, String observer, int life, long lamport, Map<String, View> view) {}

    /** A fault from {@code start} to {@code end} (ms since origin; {@link Long#MAX_VALUE} while open). */
    record Fault(String kind, List<String> targets, long start, long end, String detail) {
        boolean open() {
            return end == Long.MAX_VALUE;
        }

        boolean covers(long t) {
            return t >= start && t < end;
        }
    }

    /** A frozen copy, sorted by time. */
    record Snapshot(List<Observation> observations, List<Fault> faults) {}

    private final long originMillis;
    private final List<Observation> observations = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();

    History(long originMillis) {
        this.originMillis = originMillis;
    }

    long origin() {
        return originMillis;
    }

    /** Now, in ms since the origin. */
    long now() {
        return System.currentTimeMillis() - originMillis;
    }

    synchronized void observe(Observation o) {
        observations.add(o);
    }

    /** Opens a fault now; close it with {@link #end}. Returns its index. */
    synchronized int begin(String kind, List<String> targets, String detail) {
        faults.add(new Fault(kind, List.copyOf(targets), now(), Long.MAX_VALUE, detail));
        return faults.size() - 1;
    }

    synchronized void end(int fault) {
        Fault f = faults.get(fault);
        faults.set(fault, new Fault(f.kind(), f.targets(), f.start(), now(), f.detail()));
    }

    /** An instantaneous fault (a kill, a restart): start and end now. */
    synchronized void mark(String kind, List<String> targets, String detail) {
        long t = now();
        faults.add(new Fault(kind, List.copyOf(targets), t, t, detail));
    }

    synchronized Snapshot snapshot() {
        List<Observation> obs = new ArrayList<>(observations);
        obs.sort(Comparator.comparingLong(Observation::t));
        List<Fault> fs = new ArrayList<>(faults);
        fs.sort(Comparator.comparingLong(Fault::start));
        return new Snapshot(List.copyOf(obs), List.copyOf(fs));
    }

    /** One JSON object a line: faults first, then observations in time order. */
    void writeJsonLines(Path file) throws IOException {
        Snapshot s = snapshot();
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"type\":\"origin\",\"epochMillis\":" + originMillis + "}\n");
            for (Fault f : s.faults()) {
                w.write("{\"type\":\"fault\",\"kind\":" + str(f.kind()) + ",\"targets\":[");
                for (int i = 0; i < f.targets().size(); i++) {
                    w.write((i > 0 ? "," : "") + str(f.targets().get(i)));
                }
                w.write("],\"start\":" + f.start() + ",\"end\":" + (f.open() ? "null" : f.end())
                        + ",\"detail\":" + str(f.detail()) + "}\n");
            }
            for (Observation o : s.observations()) {
                StringBuilder b = new StringBuilder(64 + o.view().size() * 48);
                b.append("{\"type\":\"view\",\"t\":").append(o.t()).append(",\"observer\":").append(str(o.observer()))
                        .append(",\"life\":").append(o.life()).append(",\"lamport\":").append(o.lamport()).append(",\"members\":{");
                boolean first = true;
                for (Map.Entry<String, View> e : o.view().entrySet()) {
                    View v = e.getValue();
                    b.append(first ? "" : ",").append(str(e.getKey())).append(":{\"status\":").append(str(v.status()))
                            .append(",\"incarnation\":").append(v.incarnation()).append(",\"address\":").append(str(v.address())).append('}');
                    first = false;
                }
                w.write(b.append("}}\n").toString());
            }
        }
    }

    private static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
