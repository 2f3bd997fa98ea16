package dev.gossip.core.time;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a periodic loop does with an exception from one of its rounds: count it and log it the
 * first time its kind shows up. The loop reschedules itself regardless, so one bad round (a bug,
 * or state a hostile peer managed to create) never stops failure detection or gossip; and a
 * failure that repeats every tick is counted, not written to the log every tick.
 *
 * <p>Used only on the node's thread.
 */
public final class LoopFailures {

    private static final Logger log = LoggerFactory.getLogger(LoopFailures.class);

    private final Runnable count;
    /** Loop name and exception class already logged; both come from code, so the set stays small. */
    private final Set<String> logged = new HashSet<>();

    /** @param count called once per failed round (the node counts a drop "internal") */
    public LoopFailures(Runnable count) {
        this.count = count;
    }

    public void record(String loop, Throwable failure) {
        count.run();
        if (logged.add(loop + ' ' + failure.getClass().getName())) {
            log.error("A {} round failed; the loop carries on (further {} failures are only counted)",
                    loop, failure.getClass().getSimpleName(), failure);
        } else {
            log.debug("A {} round failed again: {}", loop, failure.toString());
        }
    }
}
