package dev.gossip.core.membership;

import dev.gossip.core.Timings;
import dev.gossip.core.time.Scheduler;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node does when another address claims its name. memberlist only tells the delegate
 * (and Serf votes, shutting the loser down), so a node that crashed and came back under the same
 * name at a new address (a rescheduled container) loses to its own dead earlier life, which the
 * cluster still remembers. Here, unless the cluster already holds us here (a member pinged us
 * by our name, or passed on our alive at our address: then the claimant is the newcomer, and the
 * delegate decides), the claimant is first pinged by our name:
 * <ul>
 * <li>it answers: a real duplicate, the delegate decides (Serf's vote);</li>
 * <li>it doesn't: an earlier life of this node. We tell every member it left (a dead message
 *     from the node itself is a leave, state.go:deadNode), then refute at our address. Members
 *     that still held it alive or suspect drop it and take our address at once; members that had
 *     declared it dead take it after deadNodeReclaimTime, so we announce ourselves once more then
 *     (also when a push/pull shows a member holding our name dead elsewhere).</li>
 * </ul>
 * A push/pull that shows our name suspected at another address needs no pings: the cluster
 * already cannot reach that life, and it is announced gone at once, before it is declared dead.
 * An earlier life cannot refute: a claimant announced gone that comes back with a higher
 * incarnation is alive after all, and the delegate decides.
 */
final class NameClaims {

    private static final Logger log = LoggerFactory.getLogger(NameClaims.class);
    /** Pings before a claimant counts as gone: one lost packet must not make a live duplicate "gone". */
    static final int PINGS = 3;
    /** Earlier lives remembered (their addresses): a handful in a node's life, bounded anyway. */
    private static final int MAX_REMEMBERED = 64;
    /** How many times an earlier life is announced gone: at once, after 1 and after 3 probe intervals. */
    static final int ANNOUNCEMENTS = 3;

    /** What the claims act through: the memberlist's pings, messages and refutation. */
    interface Actions {
        void ping(InetSocketAddress at, Consumer<Boolean> answered);

        /**
         * Sends every member our alive at our incarnation and "we left" at {@code incarnation}, from
         * ourselves, in that order: only members holding the earlier life take the leave.
         */
        void announceLeft(long incarnation);

        /** Refutes with an incarnation above {@code incarnation}, at our address. */
        void refute(long incarnation);

        long incarnation();

        /** A real duplicate: the delegate's conflict handling (Serf's vote). */
        void conflict(NodeState claimant);
    }

    private final String name;
    private final Timings timings;
    private final Scheduler scheduler;
    private final BooleanSupplier shutdown;
    private final Actions actions;
    private final Set<InetSocketAddress> pinging = new HashSet<>();
    private final Map<InetSocketAddress, Long> earlierLives = new HashMap<>();
    private boolean reannounceScheduled;
    /** Some member holds our name at our address: a claimant elsewhere is then not our earlier life. */
    private boolean known;

    NameClaims(String name, Timings timings, Scheduler scheduler, BooleanSupplier shutdown, Actions actions) {
        this.name = name;
        this.timings = timings;
        this.scheduler = scheduler;
        this.shutdown = shutdown;
        this.actions = actions;
    }

    /** Claimant addresses remembered or being pinged, for {@code GossipNode.internalSizes()}. */
    int size() {
        return earlierLives.size() + pinging.size();
    }

    /**
     * A member holds us at our address: it pinged us by our name, or passed on our alive (members
     * only pass on alives they took).
     */
    void heldHere() {
        known = true;
    }

    /** {@code claimant} (our name, another address) was seen alive at {@code incarnation}. */
    void claimed(NodeState claimant, long incarnation) {
        InetSocketAddress at = claimant.address();
        Long gone = earlierLives.get(at);
        if (gone != null) {
            // Checked before "known": once we announced it gone, members take our address, and a
            // member that has not heard yet still passes the earlier life on for a while.
            if (incarnation > gone) {
                log.warn("'{}' at {}, announced gone at incarnation {}, is alive at {}: a duplicate", name, at, gone,
                        incarnation);
                earlierLives.remove(at);
                actions.conflict(claimant);
            }
            return; // older news of the life already announced gone
        }
        if (known) {
            actions.conflict(claimant);
            return;
        }
        if (!pinging.add(at)) {
            return;
        }
        actions.ping(at, answered -> {
            pinging.remove(at);
            if (shutdown.getAsBoolean() || earlierLives.containsKey(at)) {
                return;
            }
            if (answered) {
                actions.conflict(claimant);
            } else {
                earlierLifeLeft(at, incarnation, "does not answer to our name");
            }
        });
    }

    /**
     * A member suspects our name at {@code at}, another address (a push/pull said so): an earlier
     * life the cluster already cannot reach. Unless the cluster holds us here, it is announced gone
     * at once, without pings: every second counts, since members that declare it dead first refuse
     * our address for deadNodeReclaimTime. Were it a live duplicate after all, it refutes the leave
     * with a higher incarnation and {@link #claimed} hands it to the delegate.
     */
    void suspectedElsewhere(InetSocketAddress at, long incarnation) {
        Long gone = earlierLives.get(at);
        if (known || (gone != null && gone >= incarnation) || pinging.contains(at)) {
            return;
        }
        remember(at, incarnation);
        // Once the push/pull being merged is in: the leave goes to the members we know.
        scheduler.execute(() -> earlierLifeLeft(at, incarnation, "is suspected by the cluster"));
    }

    private void remember(InetSocketAddress at, long incarnation) {
        if (earlierLives.size() >= MAX_REMEMBERED) {
            earlierLives.clear();
        }
        earlierLives.put(at, incarnation);
    }

    private void earlierLifeLeft(InetSocketAddress at, long incarnation, String why) {
        if (shutdown.getAsBoolean()) {
            return;
        }
        log.info("'{}' at {} {}: an earlier life of this node. Telling the cluster it left and that we are here",
                name, at, why);
        remember(at, incarnation);
        announce(incarnation, 0);
        heldDead();
    }

    /**
     * Out-bids the earlier life, tells every member it left, then refutes once more so that those
     * who dropped it take our address. Again after a probe interval and after three, for members
     * the leave missed (a lost packet, a member we learned of since).
     */
    private void announce(long incarnation, int round) {
        actions.refute(incarnation);
        actions.announceLeft(incarnation);
        scheduler.schedule(timings.gossipInterval().toNanos(), () -> {
            if (!shutdown.getAsBoolean()) {
                actions.refute(incarnation);
            }
        });
        if (round + 1 < ANNOUNCEMENTS) {
            scheduler.schedule(timings.probeInterval().toNanos() << round, () -> {
                if (!shutdown.getAsBoolean()) {
                    announce(incarnation, round + 1);
                }
            });
        }
    }

    /**
     * A member holds an earlier life of ours dead, so it refuses our address until
     * deadNodeReclaimTime has passed since it declared that: announce ourselves again once it has.
     */
    void heldDead() {
        long reclaim = timings.deadNodeReclaimTime().toNanos();
        if (reclaim == 0 || reannounceScheduled) {
            return;
        }
        reannounceScheduled = true;
        scheduler.schedule(reclaim + timings.probeInterval().toNanos(), () -> {
            reannounceScheduled = false;
            if (!shutdown.getAsBoolean()) {
                actions.refute(actions.incarnation());
            }
        });
    }
}
