package dev.gossip.benchmarks.eureka;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Phase 2, {@code kill -9} → no longer chosen: SIGKILL one of the two serving greeters and
 * measure until the frontend stops choosing it. The other greeter serves throughout, so a call
 * sent to the dead one shows from outside as a failed call or, where the load balancer resends a
 * call whose connection failed (gossip's starter does, once), as a rise of its resend counter,
 * polled every 100 ms. The last of either is the last time it was chosen; the phase ends
 * {@code --quiet} seconds after it, or at {@code --kill-cap}, when it is reported as still chosen.
 */
final class KillPhase {

    /**
     * @param victim the killed greeter's name
     * @param lastChosenNanos kill until the last failed call was sent or the last resend was seen;
     *     null if neither happened
     * @param calls calls sent from the kill to the end of the phase
     * @param failed failed calls among them
     * @param resent calls the frontend resent to the other greeter meanwhile; null where nothing resends
     * @param capped whether the cap ended the phase (still chosen then)
     * @param cap the cap
     * @param discovery what discovery said of the killed greeter at the end
     */
    record Result(String victim, Long lastChosenNanos, int calls, int failed, Long resent, boolean capped,
            Duration cap, String discovery) {
    }

    private final SideRun run;

    KillPhase(SideRun run) {
        this.run = run;
    }

    Result run() throws InterruptedException {
        Child victim = run.greeters.get(0);
        OptionalLong resentBefore = run.cluster.resentCalls(run.frontend);
        run.mark("2 kill -9 " + victim.name(), true);
        long kill = System.nanoTime();
        victim.kill9();
        run.greeters.remove(victim);
        long deadline = kill + run.options.killCap().toNanos();
        long quiet = run.options.quiet().toNanos();
        boolean capped = true;
        long resent = resentBefore.orElse(0);
        long lastResend = -1;
        while (System.nanoTime() < deadline) {
            OptionalLong now = run.cluster.resentCalls(run.frontend);
            if (now.isPresent() && now.getAsLong() > resent) {
                resent = now.getAsLong();
                lastResend = System.nanoTime();
            }
            long quietSince = Math.max(run.traffic.lastFailureSince(kill).map(Call::endNanos).orElse(kill), lastResend);
            if (System.nanoTime() - quietSince >= quiet) {
                capped = false;
                break;
            }
            Thread.sleep(100);
        }
        long end = System.nanoTime();
        Optional<Call> lastFailure = run.traffic.lastFailureSince(kill);
        long lastChosen = Math.max(lastFailure.map(Call::startNanos).orElse(-1L), lastResend);
        int[] count = run.traffic.count(kill, end);
        String discovery = run.cluster.afterKill(victim, run.frontend);
        run.mark(capped ? victim.name() + " still chosen at the cap" : victim.name() + " no longer chosen", false);
        run.note("after kill -9: %s", discovery);
        return new Result(victim.name(), lastChosen < 0 ? null : lastChosen - kill, count[0], count[1],
                resentBefore.isPresent() ? resent - resentBefore.getAsLong() : null, capped, run.options.killCap(),
                discovery);
    }
}
