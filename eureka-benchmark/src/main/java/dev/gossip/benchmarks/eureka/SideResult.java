package dev.gossip.benchmarks.eureka;

import java.util.List;
import java.util.Map;

/** What one side's run produced; a phase it did not reach stays null, and {@link #error} says why. */
final class SideResult {

    final String side;
    final long originNanos;
    long endNanos;
    NewInstancePhase.Result newInstance;
    RollingRestartPhase.Result rollingRestart;
    KillPhase.Result kill;
    String error;
    List<Call> calls = List.of();
    List<Mark> marks = List.of();
    /** Greeter instance id → greeter name. */
    Map<String, String> names = Map.of();
    List<String> notes = List.of();

    SideResult(String side, long originNanos) {
        this.side = side;
        this.originNanos = originNanos;
    }

    double seconds(long nanos) {
        return (nanos - originNanos) / 1e9;
    }
}
