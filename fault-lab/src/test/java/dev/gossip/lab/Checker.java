package dev.gossip.lab;

import dev.gossip.lab.History.Fault;
import dev.gossip.lab.History.Observation;
import dev.gossip.lab.History.Snapshot;
import dev.gossip.lab.History.View;
import dev.gossip.lab.Tracks.Change;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The properties a lab run is judged by, as pure functions of its {@link Snapshot}. Each is
 * linear, or nearly, in observations × members. Times are ms since the run's origin; "alive or
 * suspect" counts as alive throughout, since a suspect member is still in the cluster.
 */
final class Checker {

    /** {@code observer} saw {@code member} change into some status at {@code t}. */
    record Sighting(String observer, String member, long t) {}

    /** {@code observer} saw {@code member} fail at {@code failedAt} and come back at {@code backAt}. */
    record Flap(String observer, String member, long failedAt, long backAt) {}

    /** {@code observer} saw {@code member} left at {@code leftAt} and alive again at {@code backAt}. */
    record Resurrection(String observer, String member, long leftAt, long backAt) {}

    /** In {@code observer}'s life {@code life}, {@code member}'s incarnation fell from {@code before} to {@code after} at {@code t}. */
    record IncarnationRegression(String observer, int life, String member, long t, long before, long after) {}

    /** In {@code observer}'s life {@code life}, its Lamport clock fell from {@code before} to {@code after} at {@code t}. */
    record LamportRegression(String observer, int life, long t, long before, long after) {}

    private Checker() {}

    /** See {@link Tracks#statusAt}. */
    static Optional<String> statusAt(Snapshot s, String observer, String member, long t) {
        return Tracks.statusAt(s, observer, member, t);
    }

    /** See {@link Tracks.Change}: {@code observer}'s view of {@code member}, change by change. */
    static List<Change> transitions(Snapshot s, String observer, String member) {
        return Tracks.of(s).changes(observer, member);
    }

    /**
     * For each of {@code observers}: {@code t - from}, where {@code t} is the time of its first
     * report at or after {@code from} that shows {@code victim} failed or left. An observer
     * that already saw it so before {@code from} thus detects at its first report after. A victim
     * absent from the view (reaped) does not count as detected. Observers with no such report,
     * including those that never report again, are {@link Detection#missed}.
     */
    static Detection detection(Snapshot s, String victim, long from, Set<String> observers) {
        return firstSeen(s, victim, from, observers, Checker::isGone);
    }

    /**
     * As {@link #detection}, for the first report showing {@code member} alive (not suspect) at
     * or after {@code from}: how long a node that came back took to be taken back by each observer.
     */
    static Detection recovery(Snapshot s, String member, long from, Set<String> observers) {
        return firstSeen(s, member, from, observers, "alive"::equals);
    }

    private static Detection firstSeen(Snapshot s, String member, long from, Set<String> observers,
                                       java.util.function.Predicate<String> status) {
        Map<String, Long> latencies = new TreeMap<>();
        List<Observation> obs = s.observations();
        for (int i = Tracks.firstFrom(obs, from); i < obs.size() && latencies.size() < observers.size(); i++) {
            Observation o = obs.get(i);
            if (observers.contains(o.observer()) && !latencies.containsKey(o.observer())
                    && status.test(Tracks.status(o, member))) {
                latencies.put(o.observer(), o.t() - from);
            }
        }
        Set<String> missed = new TreeSet<>(observers);
        missed.removeAll(latencies.keySet());
        return new Detection(member, from, latencies, missed);
    }

    /**
     * Every change, in any observer's view, of a member not in {@code faulted} into
     * {@code failed}; a change is as {@link Tracks.Change} defines it, so an observer's first
     * report, or the first of a new life, that shows a member failed counts too. Sorted by time.
     */
    static List<Sighting> falseFailures(Snapshot s, Set<String> faulted) {
        return changesInto(s, faulted, "failed");
    }

    /** As {@link #falseFailures}, for changes into {@code suspect}. */
    static List<Sighting> falseSuspicions(Snapshot s, Set<String> faulted) {
        return changesInto(s, faulted, "suspect");
    }

    private static List<Sighting> changesInto(Snapshot s, Set<String> faulted, String status) {
        Tracks tracks = Tracks.of(s);
        List<Sighting> found = new ArrayList<>();
        for (String observer : tracks.observers()) {
            for (String member : tracks.members(observer)) {
                if (faulted.contains(member)) {
                    continue;
                }
                for (Change c : tracks.changes(observer, member)) {
                    if (c.status().equals(status)) {
                        found.add(new Sighting(observer, member, c.t()));
                    }
                }
            }
        }
        found.sort(Comparator.comparingLong(Sighting::t));
        return found;
    }

    /**
     * Episodes, per observer life, in which a member not in {@code faulted} changed directly from
     * alive or suspect to failed and later, in the same life, back to alive or suspect, possibly
     * after being absent (reaped) in between. A change to leaving or left ends the episode without
     * a flap. Sorted by the time it came back.
     */
    static List<Flap> flaps(Snapshot s, Set<String> faulted) {
        Tracks tracks = Tracks.of(s);
        List<Flap> found = new ArrayList<>();
        for (String observer : tracks.observers()) {
            for (String member : tracks.members(observer)) {
                if (!faulted.contains(member)) {
                    flaps(observer, member, tracks.changes(observer, member), found);
                }
            }
        }
        found.sort(Comparator.comparingLong(Flap::backAt));
        return found;
    }

    private static void flaps(String observer, String member, List<Change> changes, List<Flap> found) {
        Change previous = null;
        Long failedAt = null;
        for (Change c : changes) {
            boolean sameLife = previous != null && previous.life() == c.life();
            if (!sameLife) {
                failedAt = null;
            }
            if (c.status().equals("failed") && sameLife && isAlive(previous.status())) {
                failedAt = c.t();
            } else if (isAlive(c.status()) && failedAt != null) {
                found.add(new Flap(observer, member, failedAt, c.t()));
                failedAt = null;
            } else if (c.status().equals("leaving") || c.status().equals("left")) {
                failedAt = null;
            }
            previous = c;
        }
    }

    /**
     * The observers are those of {@code live} that report at least once at or after
     * {@code from}. At a time {@code t} the cluster is converged if each of them has reported in
     * [{@code from}, {@code t}] and its latest such report shows every member of {@code live}
     * alive or suspect. Returns {@code t - from} for the earliest report time {@code t >= from}
     * from which the cluster is converged at every later report until the end of the history;
     * empty if it is not converged at the end, or no observer reports.
     */
    static OptionalLong convergence(Snapshot s, long from, Set<String> live) {
        List<Observation> obs = s.observations();
        int start = Tracks.firstFrom(obs, from);
        Set<String> observers = new HashSet<>();
        for (int i = start; i < obs.size(); i++) {
            if (live.contains(obs.get(i).observer())) {
                observers.add(obs.get(i).observer());
            }
        }
        if (observers.isEmpty()) {
            return OptionalLong.empty();
        }
        Map<String, Boolean> sees = new HashMap<>();
        int seeing = 0;
        Long since = null;
        for (int i = start; i < obs.size(); i++) {
            Observation o = obs.get(i);
            if (!observers.contains(o.observer())) {
                continue;
            }
            boolean now = seesAllAlive(o, live);
            Boolean before = sees.put(o.observer(), now);
            seeing += (now ? 1 : 0) - (Boolean.TRUE.equals(before) ? 1 : 0);
            if (seeing == observers.size()) {
                since = since == null ? o.t() : since;
            } else {
                since = null;
            }
        }
        return since == null ? OptionalLong.empty() : OptionalLong.of(since - from);
    }

    private static boolean seesAllAlive(Observation o, Set<String> live) {
        for (String m : live) {
            if (!isAlive(Tracks.status(o, m))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Each time an observer, having seen a member left, next sees it alive or suspect (in any
     * later life of the observer, and even if the member was absent in between) although no
     * "restart" or "join" fault of that member started between the member's leave and that
     * sighting. The leave is the latest "leave" fault of the member at or before the observer
     * saw it left, or that sighting itself if the harness recorded none; counting from the leave
     * rather than the sighting excuses an observer that heard of the leave late, after the restart.
     */
    static List<Resurrection> resurrections(Snapshot s) {
        Tracks tracks = Tracks.of(s);
        List<Resurrection> found = new ArrayList<>();
        for (String observer : tracks.observers()) {
            for (String member : tracks.members(observer)) {
                Long leftAt = null;
                for (Change c : tracks.changes(observer, member)) {
                    if (c.status().equals("left")) {
                        leftAt = leftAt == null ? c.t() : leftAt;
                    } else if (isAlive(c.status()) && leftAt != null) {
                        if (!rejoined(s.faults(), member, leave(s.faults(), member, leftAt), c.t())) {
                            found.add(new Resurrection(observer, member, leftAt, c.t()));
                        }
                        leftAt = null;
                    }
                }
            }
        }
        found.sort(Comparator.comparingLong(Resurrection::backAt));
        return found;
    }

    private static long leave(List<Fault> faults, String member, long seenLeftAt) {
        long leave = seenLeftAt;
        for (Fault f : faults) {
            if (f.kind().equals("leave") && f.targets().contains(member) && f.start() <= seenLeftAt) {
                leave = f.start();
            }
        }
        return leave;
    }

    private static boolean rejoined(List<Fault> faults, String member, long from, long to) {
        for (Fault f : faults) {
            boolean rejoin = f.kind().equals("restart") || f.kind().equals("join");
            if (rejoin && f.targets().contains(member) && f.start() >= from && f.start() <= to) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each time, in one observer life, a member's incarnation is lower than at that observer's
     * previous report of it while the member stayed in the view. Reports of -1 are skipped (the
     * comparison is with the last known incarnation). A member absent from a report starts
     * afresh, and so does one that was failed or left and comes back under a new address, as
     * memberlist accepts a restarted node's lower incarnation then. Sorted by time.
     */
    static List<IncarnationRegression> incarnationRegressions(Snapshot s) {
        record Known(int life, long incarnation, String status, String address) {}
        Map<String, Map<String, Known>> byObserver = new HashMap<>();
        List<IncarnationRegression> found = new ArrayList<>();
        for (Observation o : s.observations()) {
            Map<String, Known> known = byObserver.computeIfAbsent(o.observer(), k -> new HashMap<>());
            known.entrySet().removeIf(e -> e.getValue().life() != o.life() || !o.view().containsKey(e.getKey()));
            for (Map.Entry<String, View> e : o.view().entrySet()) {
                View v = e.getValue();
                Known k = known.get(e.getKey());
                long last = k == null ? -1 : k.incarnation();
                boolean restarted = k != null && !Objects.equals(k.address(), v.address())
                        && (k.status().equals("failed") || k.status().equals("left"));
                if (v.incarnation() != -1 && last != -1 && v.incarnation() < last && !restarted) {
                    found.add(new IncarnationRegression(o.observer(), o.life(), e.getKey(), o.t(), last, v.incarnation()));
                }
                long incarnation = v.incarnation() != -1 ? v.incarnation() : restarted ? -1 : last;
                known.put(e.getKey(), new Known(o.life(), incarnation, v.status(), v.address()));
            }
        }
        return found;
    }

    /**
     * Each time, in one observer life, its Lamport clock is lower than at its previous report;
     * reports of -1 are skipped (the comparison is with the last known value). Sorted by time.
     */
    static List<LamportRegression> lamportRegressions(Snapshot s) {
        record Known(int life, long lamport) {}
        Map<String, Known> byObserver = new HashMap<>();
        List<LamportRegression> found = new ArrayList<>();
        for (Observation o : s.observations()) {
            Known k = byObserver.get(o.observer());
            if (k != null && k.life() != o.life()) {
                k = null;
            }
            if (k != null && o.lamport() != -1 && k.lamport() != -1 && o.lamport() < k.lamport()) {
                found.add(new LamportRegression(o.observer(), o.life(), o.t(), k.lamport(), o.lamport()));
            }
            long lamport = o.lamport() != -1 ? o.lamport() : k == null ? -1 : k.lamport();
            byObserver.put(o.observer(), new Known(o.life(), lamport));
        }
        return found;
    }

    static boolean isAlive(String status) {
        return status.equals("alive") || status.equals("suspect");
    }

    static boolean isGone(String status) {
        return status.equals("failed") || status.equals("left");
    }
}
