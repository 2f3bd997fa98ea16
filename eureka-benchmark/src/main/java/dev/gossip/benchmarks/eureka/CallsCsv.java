package dev.gossip.benchmarks.eureka;

import java.util.Locale;

/** Every call of a side, for a closer look: seconds from the side's start, status, who answered. */
final class CallsCsv {

    private CallsCsv() {
    }

    static String of(SideResult side) {
        StringBuilder out = new StringBuilder("sent_s,answered_s,status,answered_by\n");
        for (Call c : side.calls) {
            out.append(String.format(Locale.ROOT, "%.3f,%.3f,%d,%s%n", side.seconds(c.startNanos()), side.seconds(c.endNanos()),
                    c.status(), c.answeredBy() == null ? "" : side.names.getOrDefault(c.answeredBy(), c.answeredBy())));
        }
        return out.toString();
    }
}
