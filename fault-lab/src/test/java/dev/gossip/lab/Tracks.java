package dev.gossip.lab;

import dev.gossip.lab.History.Observation;
import dev.gossip.lab.History.Snapshot;
import dev.gossip.lab.History.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each observer's view of each member as the list of its changes, built in one pass over a
 * snapshot. A member absent from a view is {@value #NONE}. The members are every name that
 * appears in any view of the snapshot, so each track starts at its observer's first report, with
 * {@value #NONE} for members not known yet.
 */
final class Tracks {

    static final String NONE = "none";

    /**
     * From {@code t} until the next change the observer, in its life {@code life}, saw the member
     * as {@code status}. A change is recorded whenever the status or the life differs from the
     * previous report, so the first report of a new life always opens a change: a restarted
     * process starts its view afresh.
     */
    record Change(long t, int life, String status) {}

    private final Map<String, Map<String, List<Change>>> byObserver;

    private Tracks(Map<String, Map<String, List<Change>>> byObserver) {
        this.byObserver = byObserver;
    }

    /** O(observations × members). */
    static Tracks of(Snapshot s) {
        Set<String> members = new TreeSet<>();
        for (Observation o : s.observations()) {
            members.addAll(o.view().keySet());
        }
        Map<String, Map<String, List<Change>>> byObserver = new TreeMap<>();
        for (Observation o : s.observations()) {
            Map<String, List<Change>> tracks = byObserver.computeIfAbsent(o.observer(), k -> new TreeMap<>());
            for (String m : members) {
                List<Change> changes = tracks.computeIfAbsent(m, k -> new ArrayList<>());
                String status = status(o, m);
                Change last = changes.isEmpty() ? null : changes.get(changes.size() - 1);
                if (last == null || last.life() != o.life() || !last.status().equals(status)) {
                    changes.add(new Change(o.t(), o.life(), status));
                }
            }
        }
        return new Tracks(byObserver);
    }

    Set<String> observers() {
        return byObserver.keySet();
    }

    Set<String> members(String observer) {
        return byObserver.getOrDefault(observer, Map.of()).keySet();
    }

    List<Change> changes(String observer, String member) {
        return List.copyOf(byObserver.getOrDefault(observer, Map.of()).getOrDefault(member, List.of()));
    }

    /** The status {@code o} reports for {@code member}, {@value #NONE} if absent. */
    static String status(Observation o, String member) {
        View v = o.view().get(member);
        return v == null ? NONE : v.status();
    }

    /**
     * What {@code observer}'s latest report at or before {@code t} says of {@code member}
     * ({@value #NONE} if absent from it); empty if the observer had not reported by then.
     * O(log observations + observations since that report).
     */
    static Optional<String> statusAt(Snapshot s, String observer, String member, long t) {
        List<Observation> obs = s.observations();
        for (int i = firstAfter(obs, t) - 1; i >= 0; i--) {
            if (obs.get(i).observer().equals(observer)) {
                return Optional.of(status(obs.get(i), member));
            }
        }
        return Optional.empty();
    }

    /** Index of the first observation later than {@code t} (observations are sorted by time). */
    static int firstAfter(List<Observation> obs, long t) {
        int lo = 0;
        int hi = obs.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (obs.get(mid).t() <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first observation at or after {@code t}. */
    static int firstFrom(List<Observation> obs, long t) {
        return firstAfter(obs, t - 1);
    }
}
