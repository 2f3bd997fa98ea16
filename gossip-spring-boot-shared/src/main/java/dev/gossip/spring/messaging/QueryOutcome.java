package dev.gossip.spring.messaging;

import java.util.Locale;

/** What became of a query received for one of our {@link GossipQueryHandler}s. */
public enum QueryOutcome {
    /** The handler's answer was sent. */
    ANSWERED,
    /** The handler returned null: nothing to say. */
    SILENT,
    /** The handler overran its timeout or the query's deadline: abandoned, no answer. */
    TIMEOUT,
    /** The handler threw, or its answer was too large: no answer. */
    ERROR,
    /** Every handler thread was busy and the waiting queue full: no answer. */
    BUSY;

    /** The metric tag value, e.g. {@code timeout}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
