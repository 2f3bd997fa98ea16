package dev.gossip.benchmarks.eureka;

import java.time.Duration;
import java.util.Optional;

/**
 * Phase 2, {@code kill -9} → no longer chosen: SIGKILL one of the two serving greeters and
 * measure until the frontend stops choosing it. Every failed call after the kill is one the
 * frontend sent to the dead greeter (the other one serves throughout), so the last failed call is
 * the last time it was chosen; the phase ends {@code --quiet} seconds after it, or at
 * {@code --kill-cap}, when it is reported as still chosen.
 */
final class KillPhase {

    /**
     * @param victim the killed greeter's name
     * @param lastFailureNanos kill until the last failed call was sent; null if none failed
     * @param calls calls sent from the kill to the end of the phase
     * @param failed failed calls among them
     * @param capped whether the cap ended the phase (still chosen then)
     * @param cap the cap
     * @param discovery what discovery said of the killed greeter at the end
     */
    record Result(String victim, Long lastFailureNanos, int calls, int failed, boolean capped, Duration cap,
            String discovery) {
    }

    private final SideRun run;

    KillPhase(SideRun run) {
        this.run = run;
    }

    Result run() throws InterruptedException {
        Child victim = run.greeters.get(0);
        run.mark("2 kill -9 " + victim.name(), true);
        long kill = System.nanoTime();
        victim.kill9();
        run.greeters.remove(victim);
        long deadline = kill + run.options.killCap().toNanos();
        long quiet = run.options.quiet().toNanos();
        boolean capped = true;
        Optional<Call> lastFailure = Optional.empty();
        while (System.nanoTime() < deadline) {
            lastFailure = run.traffic.lastFailureSince(kill);
            long quietSince = lastFailure.map(Call::endNanos).orElse(kill);
            if (System.nanoTime() - quietSince >= quiet) {
                capped = false;
                break;
            }
            Thread.sleep(100);
        }
        long end = System.nanoTime();
        lastFailure = run.traffic.lastFailureSince(kill);
        int[] count = run.traffic.count(kill, end);
        String discovery = run.cluster.afterKill(victim, run.frontend);
        run.mark(capped ? victim.name() + " still chosen at the cap" : victim.name() + " no longer chosen", false);
        run.note("after kill -9: %s", discovery);
        return new Result(victim.name(), lastFailure.map(c -> c.startNanos() - kill).orElse(null), count[0], count[1],
                capped, run.options.killCap(), discovery);
    }
}
