package dev.gossip.lab;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How long after {@code from} each observer first reported {@code victim} failed or left
 * ({@code latencies}, ms), and which of the observers asked about never did ({@code missed}).
 * Both are sorted by observer name.
 */
record Detection(String victim, long from, Map<String, Long> latencies, Set<String> missed) {

    Detection {
        latencies = Collections.unmodifiableSortedMap(new TreeMap<>(latencies));
        missed = Collections.unmodifiableSortedSet(new TreeSet<>(missed));
    }

    OptionalLong latency(String observer) {
        Long ms = latencies.get(observer);
        return ms == null ? OptionalLong.empty() : OptionalLong.of(ms);
    }

    /**
     * The median latency of the observers that detected: the middle one, or the mean of the two
     * middle ones rounded down; empty if none detected. Those that missed are not counted, so
     * read it next to {@link #missed}.
     */
    OptionalLong median() {
        List<Long> sorted = latencies.values().stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    /** The slowest of the observers that detected; empty if none did. */
    OptionalLong max() {
        return latencies.values().stream().mapToLong(Long::longValue).max();
    }

    /** When every observer asked about had detected ({@link #max}), or empty if any missed. */
    OptionalLong byAll() {
        return missed.isEmpty() ? max() : OptionalLong.empty();
    }
}
