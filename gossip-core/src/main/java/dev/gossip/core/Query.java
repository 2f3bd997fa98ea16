package dev.gossip.core;

/**
 * A query received from the cluster (Serf §7.8). Answer it once with {@link #respond} before its
 * deadline; the response goes straight back to the node that asked.
 */
public final class Query implements GossipEvent {

    /** Sends the response; provided by the node. */
    @FunctionalInterface
    public interface Responder {
        void send(Query query, byte[] payload);
    }

    private final long ltime;
    private final int id;
    private final String name;
    private final byte[] payload;
    private final String sourceNode;
    private final long deadlineNanos;
    private final java.util.function.LongSupplier clock;
    private final Responder responder;
    private boolean responded;

    public Query(long ltime, int id, String name, byte[] payload, String sourceNode,
                 long deadlineNanos, java.util.function.LongSupplier clock, Responder responder) {
        this.ltime = ltime;
        this.id = id;
        this.name = name;
        this.payload = payload;
        this.sourceNode = sourceNode;
        this.deadlineNanos = deadlineNanos;
        this.clock = clock;
        this.responder = responder;
    }

    public long ltime() {
        return ltime;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public byte[] payload() {
        return payload == null ? new byte[0] : payload.clone();
    }

    public String sourceNode() {
        return sourceNode;
    }

    /**
     * Time left until the asker stops collecting responses (zero once passed): work that takes
     * longer is wasted.
     */
    public java.time.Duration remaining() {
        return java.time.Duration.ofNanos(Math.max(0, deadlineNanos - clock.getAsLong()));
    }

    /**
     * Responds to the query.
     *
     * @throws IllegalStateException if already responded or the deadline has passed
     * @throws IllegalArgumentException if the response exceeds the query response size limit
     */
    public synchronized void respond(byte[] response) {
        if (responded) {
            throw new IllegalStateException("Query '" + name + "' was already answered");
        }
        if (clock.getAsLong() - deadlineNanos > 0) {
            throw new IllegalStateException("Query '" + name + "' deadline has passed");
        }
        responder.send(this, response);
        responded = true;
    }

    @Override
    public String toString() {
        return "Query[" + name + " from " + sourceNode + ", ltime " + ltime + ", id " + id + "]";
    }
}
