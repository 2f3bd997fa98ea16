package dev.gossip.lab;

import dev.gossip.lab.History.Fault;
import dev.gossip.lab.History.Observation;
import dev.gossip.lab.History.Snapshot;
import dev.gossip.lab.History.View;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built histories for the checker's and the charts' tests. A member is written
 * {@code name=status[:incarnation][@address]}, e.g. {@code "c=alive:3@10.0.0.3"}; the
 * incarnation defaults to -1 and the address to the name.
 */
final class Histories {

    private final List<Observation> observations = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();

    /** A report in life 0 with an unknown Lamport clock. */
    Histories see(long t, String observer, String... members) {
        return see(t, observer, 0, -1, members);
    }

    Histories see(long t, String observer, int life, long lamport, String... members) {
        Map<String, View> view = new LinkedHashMap<>();
        for (String m : members) {
            String[] nameRest = m.split("=", 2);
            String rest = nameRest[1];
            String address = nameRest[0];
            int at = rest.indexOf('@');
            if (at >= 0) {
                address = rest.substring(at + 1);
                rest = rest.substring(0, at);
            }
            String[] statusInc = rest.split(":", 2);
            long incarnation = statusInc.length > 1 ? Long.parseLong(statusInc[1]) : -1;
            view.put(nameRest[0], new View(statusInc[0], incarnation, address));
        }
        observations.add(new Observation(t, observer, life, lamport, view));
        return this;
    }

    /** The same view from {@code from} to {@code to} inclusive, every {@code step} ms. */
    Histories every(long step, long from, long to, String observer, String... members) {
        for (long t = from; t <= to; t += step) {
            see(t, observer, members);
        }
        return this;
    }

    Histories fault(String kind, long start, long end, String... targets) {
        faults.add(new Fault(kind, List.of(targets), start, end, ""));
        return this;
    }

    /** An instantaneous fault. */
    Histories mark(String kind, long t, String... targets) {
        return fault(kind, t, t, targets);
    }

    Histories fault(Fault f) {
        faults.add(f);
        return this;
    }

    Snapshot snapshot() {
        List<Observation> obs = new ArrayList<>(observations);
        obs.sort(Comparator.comparingLong(Observation::t));
        List<Fault> fs = new ArrayList<>(faults);
        fs.sort(Comparator.comparingLong(Fault::start));
        return new Snapshot(List.copyOf(obs), List.copyOf(fs));
    }
}
