package dev.gossip.benchmarks.eureka;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Phase 1, new instance → traffic: with greeter-1 serving and the loop running, start one more
 * greeter and measure from its readiness until the first call through the frontend answered by
 * it (answer time). Bounded by {@code --new-cap} after readiness.
 */
final class NewInstancePhase {

    /**
     * @param greeter the new greeter's name
     * @param readyToAnswerNanos readiness until the first answer by it; null if none within the cap
     * @param cap the cap
     */
    record Result(String greeter, Long readyToAnswerNanos, Duration cap) {
    }

    private final SideRun run;

    NewInstancePhase(SideRun run) {
        this.run = run;
    }

    Result run() throws IOException, InterruptedException {
        run.mark("1 new instance", true);
        Child greeter = run.launchGreeter(run.options.restartCap());
        long deadline = greeter.readyNanos() + run.options.newCap().toNanos();
        Optional<Call> first = Optional.empty();
        while (first.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            first = run.traffic.firstAnsweredBy(greeter.identity());
        }
        Long took = first.map(c -> c.endNanos() - greeter.readyNanos()).orElse(null);
        run.mark(first.isPresent() ? greeter.name() + " answers" : greeter.name() + " not chosen within the cap", false);
        return new Result(greeter.name(), took, run.options.newCap());
    }
}
