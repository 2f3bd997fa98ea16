package dev.gossip.core.interop;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * When each observer first reported a member joined, and when it first reported it gone (left or
 * failed), stamped with {@link System#nanoTime()} on arrival in this JVM. Only members being
 * watched are kept, so a long run holds a few hundred entries, not every event of every node.
 */
final class Arrivals {

    /** Where a report came from. */
    enum Source {
        /** serf agent's RPC {@code stream}: events after the agent's coalescing. */
        SERF_STREAM("serf, RPC stream"),
        /** serf agent's {@code EventMember*} log line (RPC {@code monitor}), written before coalescing. */
        SERF_LOG("serf, agent log"),
        /** a Java node's {@code GossipListener}. */
        JAVA("Java, listener");

        final String label;

        Source(String label) {
            this.label = label;
        }
    }

    /** Serf's member event types that end or begin a measurement. */
    enum Kind { JOIN, LEAVE, FAILED }

    private record Key(Source source, String observer, String subject, boolean gone) {}

    private record Seen(Kind kind, long nanos) {}

    /** What the observers reported, up to a deadline. */
    record Outcome(long lastNanos, int missing, Set<Kind> kinds) {
        boolean complete() {
            return missing == 0;
        }
    }

    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<Key, Seen> seen = new ConcurrentHashMap<>();

    void watch(String subject) {
        watched.add(subject);
    }

    void unwatch(String subject) {
        watched.remove(subject);
        seen.keySet().removeIf(k -> k.subject.equals(subject));
    }

    /** Called from taps and listeners; keeps the first report of each kind of change only. */
    void record(Source source, String observer, String subject, Kind kind, long nanos) {
        if (watched.contains(subject)) {
            seen.putIfAbsent(new Key(source, observer, subject, kind != Kind.JOIN), new Seen(kind, nanos));
        }
    }

    /**
     * Waits until every observer reported {@code subject} joined ({@code gone} false) or gone, or
     * the deadline passes. Reports are stamped when they arrived, so polling adds no error.
     */
    Outcome await(Source source, Collection<String> observers, String subject, boolean gone, long deadlineNanos)
            throws InterruptedException {
        while (true) {
            long last = Long.MIN_VALUE;
            int missing = 0;
            Set<Kind> kinds = EnumSet.noneOf(Kind.class);
            for (String o : observers) {
                Seen s = seen.get(new Key(source, o, subject, gone));
                if (s == null) {
                    missing++;
                } else {
                    last = Math.max(last, s.nanos);
                    kinds.add(s.kind);
                }
            }
            if (missing == 0 || System.nanoTime() - deadlineNanos > 0) {
                return new Outcome(last, missing, kinds);
            }
            Thread.sleep(5);
        }
    }
}
