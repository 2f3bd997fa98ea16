package dev.gossip.core.sim;

/**
 * How one direction between two simulated addresses behaves. Each packet's latency is drawn
 * uniformly from {@code [minLatencyNanos, maxLatencyNanos]}; packets (not streams, which are
 * reliable like TCP) are lost with {@code lossProbability}.
 */
public record Link(long minLatencyNanos, long maxLatencyNanos, double lossProbability) {

    /** A quiet local network: 0.2 to 1 ms, nothing lost. */
    public static final Link LAN = new Link(200_000, 1_000_000, 0.0);

    /** Rejects negative or inverted latency ranges and loss outside [0, 1]. */
    public Link {
        if (minLatencyNanos < 0 || maxLatencyNanos < minLatencyNanos
                || maxLatencyNanos == Long.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "need 0 <= minLatencyNanos <= maxLatencyNanos < Long.MAX_VALUE, got "
                            + minLatencyNanos + ".." + maxLatencyNanos);
        }
        if (!(lossProbability >= 0.0 && lossProbability <= 1.0)) {
            throw new IllegalArgumentException("lossProbability must be in [0, 1]: " + lossProbability);
        }
    }

    /** {@link #LAN} latency with packets lost at {@code lossProbability}. */
    public static Link lossy(double lossProbability) {
        return LAN.withLoss(lossProbability);
    }

    /** Always exactly {@code latencyNanos}, nothing lost; handy when a test checks timings. */
    public static Link fixed(long latencyNanos) {
        return new Link(latencyNanos, latencyNanos, 0.0);
    }

    /** This link's latency with a different loss probability. */
    public Link withLoss(double lossProbability) {
        return new Link(minLatencyNanos, maxLatencyNanos, lossProbability);
    }
}
