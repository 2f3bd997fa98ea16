package dev.gossip.core.hostile;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/** What one attack cost the victim, one row of the table, and the targets every attack must meet. */
final class Result {

    /**
     * Growth of the used heap (whole JVM, after full collections) one attack may cause: about
     * twice the most that the attacks the victim withstands retained on the 2-core machine (0.0 to
     * 0.7 MB, the most with eight trickled streams buffered). Leaked stream buffers, or a few
     * thousand invented members, exceed it.
     */
    static final double HEAP_BOUND_MB = 1.5;
    /** The target for trickled streams, reported in the table (see TrickleHostileTest). */
    static final double MAX_STREAM_CPU_MS_PER_MB = 20;
    private static final double MB = 1024.0 * 1024.0;
    /**
     * Below this many attacker bytes a per-MB cost says nothing: the victim's own gossip and
     * probing (about 15 ms of CPU a second) would dominate it.
     */
    private static final long MIN_BYTES_PER_MB_FIGURE = 128 * 1024;

    final String id;
    final String attack;
    final long attackerBytes;
    final long attackerCpuNanos;
    final long victimCpuNanos;
    final RttProbe.Stats rtt;
    final int suspicions;
    final long heapGrowthBytes;
    final boolean survived;
    final List<String> notes = new ArrayList<>();

    Result(String id, String attack, long attackerBytes, long attackerCpuNanos, long victimCpuNanos,
           RttProbe.Stats rtt, int suspicions, long heapGrowthBytes, boolean survived) {
        this.id = id;
        this.attack = attack;
        this.attackerBytes = attackerBytes;
        this.attackerCpuNanos = attackerCpuNanos;
        this.victimCpuNanos = victimCpuNanos;
        this.rtt = rtt;
        this.suspicions = suspicions;
        this.heapGrowthBytes = heapGrowthBytes;
        this.survived = survived;
    }

    Result note(String format, Object... args) {
        notes.add(String.format(format, args));
        return this;
    }

    double attackerMb() {
        return attackerBytes / MB;
    }

    double victimCpuSeconds() {
        return victimCpuNanos / 1e9;
    }

    /** Victim CPU ms per attacker MB; NaN when the attacker sent too little for the figure to mean anything. */
    double victimCpuMsPerMb() {
        return attackerBytes < MIN_BYTES_PER_MB_FIGURE ? Double.NaN : victimCpuNanos / 1e6 / attackerMb();
    }

    /** A duration in ms as the table shows it; an infinite one (a lost probe) as "lost". */
    static String millis(double v) {
        return Double.isInfinite(v) ? "lost" : String.format(java.util.Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }

    double heapGrowthMb() {
        return heapGrowthBytes / MB;
    }

    /** Prints the row and rewrites the table and chart with it. */
    Result report() {
        HostileTable.add(this);
        return this;
    }

    /**
     * The targets for any single attack: the victim keeps answering probes (no peer
     * suspects it), its heap stays bounded, and it survives (running, alive in every peer's view).
     * Add attack-specific checks, then {@code assertAll()}: every miss is reported at once.
     */
    SoftAssertions commonTargets() {
        return commonTargets(HEAP_BOUND_MB);
    }

    /** As {@link #commonTargets()}, for an attack whose heap may grow by up to {@code heapBoundMb}. */
    SoftAssertions commonTargets(double heapBoundMb) {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(suspicions).as("%s: times a peer suspected the victim", attack).isZero();
        softly.assertThat(heapGrowthMb()).as("%s: heap growth in MB (whole JVM, after full GC)", attack)
                .isLessThanOrEqualTo(heapBoundMb);
        softly.assertThat(survived).as("%s: victim still running, alive and unsuspected in every peer's view", attack)
                .isTrue();
        return softly;
    }
}
