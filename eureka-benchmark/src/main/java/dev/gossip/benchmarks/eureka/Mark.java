package dev.gossip.benchmarks.eureka;

/** Something that happened during a side's run, for the chart and the log: a phase boundary or an event. */
record Mark(long nanos, String label, boolean phase) {
}
