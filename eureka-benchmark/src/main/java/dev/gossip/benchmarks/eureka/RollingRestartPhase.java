package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Phase 3, rolling restart under load: each serving greeter in turn gets SIGTERM, the driver waits
 * for its exit, launches a replacement (a new greeter-N on fresh ports) and waits for its
 * readiness before the next. The restart is over when every replacement has answered through the
 * frontend and {@code --quiet} seconds passed without a failed call (or {@code --settle-cap} after
 * the last readiness). Counted: calls sent from the first SIGTERM to the later of the last
 * readiness, the replacements' first answers and the last failed call; and the calls the frontend
 * resent to another greeter after their connection failed, where it does (gossip's starter).
 */
final class RollingRestartPhase {

    /**
     * @param calls calls sent in the counted window
     * @param failed failed calls among them
     * @param windowNanos the counted window's length
     * @param settled whether the frontend settled (replacements answering, no failures) within the cap
     * @param steps per greeter: how long its exit and its replacement's readiness took
     * @param resent calls resent after a failed connection, first SIGTERM to settled; null where nothing resends
     */
    record Result(int calls, int failed, long windowNanos, boolean settled, List<String> steps, Long resent) {
        double failedPercent() {
            return calls == 0 ? 0 : 100.0 * failed / calls;
        }
    }

    private final SideRun run;

    RollingRestartPhase(SideRun run) {
        this.run = run;
    }

    Result run() throws IOException, InterruptedException {
        run.mark("3 rolling restart", true);
        long start = System.nanoTime();
        OptionalLong resentBefore = run.cluster.resentCalls(run.frontend);
        List<Child> replacements = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        for (Child old : List.copyOf(run.greeters)) {
            run.mark("SIGTERM " + old.name(), false);
            long term = System.nanoTime();
            boolean graceful = old.stopGracefully(run.options.restartCap());
            long exited = System.nanoTime();
            run.greeters.remove(old);
            run.mark(old.name() + (graceful ? " exited" : " killed: no exit within the cap"), false);
            Child fresh = run.launchGreeter(run.options.restartCap());
            replacements.add(fresh);
            steps.add(String.format("%s exited %.1f s after SIGTERM%s, %s ready %.1f s after launch", old.name(),
                    SideRun.seconds(term, exited), graceful ? "" : " (SIGKILL)", fresh.name(),
                    SideRun.seconds(fresh.launchedNanos(), fresh.readyNanos())));
        }
        long lastReady = replacements.stream().mapToLong(Child::readyNanos).max().orElse(start);
        long deadline = lastReady + run.options.settleCap().toNanos();
        long quiet = run.options.quiet().toNanos();
        boolean settled = false;
        long end = deadline;
        while (System.nanoTime() < deadline) {
            Optional<Call> lastFailure = run.traffic.lastFailureSince(start);
            long over = lastReady;
            boolean allAnswered = true;
            for (Child r : replacements) {
                Optional<Call> first = run.traffic.firstAnsweredBy(r.identity());
                allAnswered &= first.isPresent();
                over = Math.max(over, first.map(Call::endNanos).orElse(over));
            }
            over = Math.max(over, lastFailure.map(Call::startNanos).orElse(over));
            if (allAnswered && System.nanoTime() - over >= quiet) {
                settled = true;
                end = over;
                break;
            }
            Thread.sleep(100);
        }
        int[] count = run.traffic.count(start, end);
        OptionalLong resentAfter = run.cluster.resentCalls(run.frontend);
        run.marks.add(new Mark(end, "3 over", true));
        return new Result(count[0], count[1], end - start, settled, steps,
                resentBefore.isPresent() && resentAfter.isPresent() ? resentAfter.getAsLong() - resentBefore.getAsLong() : null);
    }
}
